"""What a PDF may cost, checked before pdfplumber (pdfminer) or pdfium opens it (store.budgets).

pdfminer inflates a page's content stream whole, and pdfium decodes an image whole: a 1.4 MB PDF whose
streams inflate to gigabytes, or an image declaring 100,000 x 100,000 pixels, would take the reading
process's memory before anything could be said. So the PDF's objects are walked first with pypdf (which
parses the cross-reference table and the objects' dictionaries, not their content), and:

- its pages are counted (the page tree's declared count: the reader walks the real tree later);
- each image's declared pixels are checked against the OCR pixel budget;
- every other stream is inflated in pieces of 1 MB, counting the bytes and keeping none, until the
  document's total goes over its budget (Flate, LZW and run-length, the filters that can multiply bytes;
  the ASCII filters before them shrink what they decode).

A PDF pypdf cannot parse is left to the extractor, which says what is wrong with it in its own words.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from pathlib import Path

from store.budgets import DEFAULT_BUDGETS, FileBudgets, megabytes
from store.errors import OverBudgetError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged PDF's warnings are the extractor's to give

_IMAGE_CODECS = {"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode", "/DCT", "/CCF"}
_TEXT_CODECS = {"/ASCIIHexDecode", "/ASCII85Decode", "/AHx", "/A85"}
_INFLATING = {"/FlateDecode", "/Fl", "/LZWDecode", "/LZW", "/RunLengthDecode", "/RL"}
_PIECE = 1 << 20


def check_pdf_budget(path: Path, budgets: FileBudgets = DEFAULT_BUDGETS) -> None:
    """Raise OverBudgetError when the PDF at `path` has more pages, image pixels or inflated stream bytes
    than `budgets` allow; return quietly otherwise (or when pypdf cannot parse it)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return  # the extractor says it needs a password
        pages = len(reader.pages)
    except Exception:  # pypdf raises its own errors, and others, on damaged files: the extractor's to say
        return
    if pages > budgets.pdf_pages:
        raise OverBudgetError(
            path, f"{pages:,} pages, over the {budgets.pdf_pages:,}-page budget for one PDF"
        )
    inflated = 0
    for stream in _streams(reader):
        filters = _filters(stream)
        if stream.get("/Subtype") == "/Image" or (filters and filters[-1] in _IMAGE_CODECS):
            _check_image(path, stream, budgets)
            continue
        inflated += _inflated_size(stream, filters, budgets.pdf_stream_bytes - inflated)
        if inflated > budgets.pdf_stream_bytes:
            raise OverBudgetError(
                path,
                f"its streams inflate to over {megabytes(budgets.pdf_stream_bytes)}, the budget for one PDF "
                "(a PDF bomb?): not read",
            )


def _streams(reader: object) -> Iterator:
    from pypdf.generic import IndirectObject, StreamObject

    for generation, numbers in list(reader.xref.items()):
        for number in list(numbers):
            try:
                found = reader.get_object(IndirectObject(number, generation, reader))
            except Exception:  # a damaged object: the extractor meets it, or never needs it
                continue
            if isinstance(found, StreamObject):
                yield found


def _filters(stream: object) -> list[str]:
    named = stream.get("/Filter")
    if named is None:
        return []
    named = named.get_object() if hasattr(named, "get_object") else named
    return [str(name) for name in named] if isinstance(named, list) else [str(named)]


def _check_image(path: Path, stream: object, budgets: FileBudgets) -> None:
    try:
        width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
    except (TypeError, ValueError):
        return
    if width * height > budgets.ocr_page_pixels:
        raise OverBudgetError(
            path,
            f"an image of {width:,} x {height:,} pixels, over the {budgets.ocr_page_pixels:,}-pixel "
            "budget: not read",
        )


def _inflated_size(stream: object, filters: list[str], room: int) -> int:
    """The bytes `stream` decodes to, counted up to a little over `room`."""
    data = bytes(stream._data)  # the stream as stored (encoded)
    while filters and filters[0] in _TEXT_CODECS:  # these shrink what they decode
        data = _text_decoded(filters[0], data)
        filters = filters[1:]
    inflating = [name for name in filters if name in _INFLATING]
    if not inflating:
        return len(data)
    if len(inflating) > 1:
        return room + 1  # compressed twice over: no real PDF does, and counting it means holding it
    if inflating[0] in {"/FlateDecode", "/Fl"}:
        return _flate_size(data, room)
    if inflating[0] in {"/RunLengthDecode", "/RL"}:
        return _run_length_size(data)
    return _lzw_size(data, room)


def _text_decoded(name: str, data: bytes) -> bytes:
    from pypdf.filters import ASCII85Decode, ASCIIHexDecode

    try:
        return (ASCIIHexDecode if "Hex" in name or name == "/AHx" else ASCII85Decode).decode(data)
    except Exception:
        return data


def _flate_size(data: bytes, room: int) -> int:
    inflater = zlib.decompressobj()
    total, pending = 0, data
    try:
        while True:
            piece = inflater.decompress(pending, _PIECE)
            total += len(piece)
            pending = inflater.unconsumed_tail
            if total > room or (not piece and not pending) or inflater.eof:
                return total
    except zlib.error:  # damaged past here: pdfminer reads no more of it either
        return total


def _run_length_size(data: bytes) -> int:
    total, at = 0, 0
    while at < len(data) and data[at] != 128:
        length = data[at]
        if length < 128:
            total, at = total + length + 1, at + length + 2
        else:
            total, at = total + 257 - length, at + 2
    return total


def _lzw_size(data: bytes, room: int) -> int:
    """The length LZW decoding gives (PDF's variant, early change), from the codes alone."""
    lengths = [1] * 258  # 256 bytes, then clear (256) and end (257)
    total, bits, buffer, width, previous = 0, 0, 0, 9, None
    for byte in data:
        buffer, bits = (buffer << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            if code == 256:
                lengths, width, previous = [1] * 258, 9, None
                continue
            if code == 257:
                return total
            if previous is not None:
                grown = lengths[previous] + 1
                lengths.append(grown)
            if code >= len(lengths):
                return total  # a code not yet defined: damaged
            total += lengths[code]
            if total > room:
                return total
            previous = code
            width = (
                12
                if len(lengths) >= 2047
                else 11
                if len(lengths) >= 1023
                else 10
                if len(lengths) >= 511
                else 9
            )
    return total
