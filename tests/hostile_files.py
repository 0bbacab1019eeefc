"""Crafted files for tests/test_hostile_files.py, generated on the spot (no bomb is ever committed).

Each is small on disk and costly to read naively: an XLSX claiming the range A1:XFD1048576, an XLSX whose
sheet XML unpacks to 600 MB, a PDF whose content stream inflates to 1.5 GB, a PDF page 600 inches square
drawn from one small image (a scan to OCR), a sparse file of 2 GB.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _workbook(path: Path, sheet_chunks: object) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk)
    return path


def xlsx_claiming_everything(path: Path) -> Path:
    """A workbook of about 1.6 KB whose sheet declares the range A1:XFD1048576 (17 billion cells) and holds
    one: openpyxl's read-only mode pads every row to the declared width."""
    sheet = (
        _SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten/Kota</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    return _workbook(path, [sheet.encode()])


def xlsx_zip_bomb(path: Path, megabytes: int = 600) -> Path:
    """A workbook whose sheet XML unpacks to `megabytes` MB of rows (a file of a few MB)."""
    rows = b"<row><c><v>1</v></c></row>" * (1 << 15)  # about 0.8 MB a chunk
    chunks = (megabytes << 20) // len(rows)
    return _workbook(
        path, [(_SHEET_HEAD + "<sheetData>").encode(), *([rows] * chunks), b"</sheetData></worksheet>"]
    )


def _pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of `objects` (numbered from 1; the first is the catalog), with a correct cross-reference."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def _stream(dictionary: str, data: bytes) -> bytes:
    return f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _flate_of_spaces(megabytes: int) -> bytes:
    """A zlib stream of `megabytes` MB of spaces, made without compressing them all: after the first MB,
    every MB of spaces compresses (with a sync flush) to the same bytes."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    final_empty_block = b"\x03\x00"  # a last, empty block of fixed codes
    return first + again * (megabytes - 1) + final_empty_block + checksum.to_bytes(4, "big")


def pdf_bomb(path: Path, megabytes: int = 1500) -> Path:
    """A one-page PDF of about 1.5 MB whose content stream inflates to `megabytes` MB."""
    return _pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
            _stream("/Filter /FlateDecode", _flate_of_spaces(megabytes)),
        ],
    )


def pdf_page_600_inches(path: Path) -> Path:
    """A scan-like PDF (an image, no text) whose one page is 600 inches square: OCR would render it at
    30,000 x 30,000 pixels or more."""
    side = 600 * 72
    image = zlib.compress(bytes([200]) * 64)
    return _pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side} {side}] /Contents 4 0 R "
            "/Resources << /XObject << /Im0 5 0 R >> >> >>".encode(),
            _stream("", f"q {side} 0 0 {side} 0 0 cm /Im0 Do Q".encode()),
            _stream(
                "/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                "/BitsPerComponent 8 /Filter /FlateDecode",
                image,
            ),
        ],
    )


def sparse_file(path: Path, size: int = 2 << 30) -> Path:
    """`size` bytes of nothing, taking no room on disk."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def large_csv(path: Path, megabytes: int = 200) -> Path:
    """A CSV of `megabytes` MB of plausible rows, written in 1 MB pieces."""
    line = b"Kabupaten Kupang,22.5,23.1,21.9\n"
    block = line * ((1 << 20) // len(line))
    with path.open("wb") as handle:
        handle.write(b"Kabupaten/Kota,2023,2024,2025\n")
        for _ in range(megabytes):
            handle.write(block)
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path
