"""What every BPS file reader gives: the file's cells as text, row by row, with the line each is on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.errors import SourceFileError


@dataclass(frozen=True)
class Grid:
    rows: list[list[str]]
    lines: list[int]  # the 1-based line (CSV), row (XLSX, HTML) or area position each row starts on
    decimal_comma: bool = False  # values written "20,05" (Indonesian-locale Excel)
    spans_filled: bool = False  # merged cells / colspans were filled: header cells need no forward fill
    export: str = "grid"  # "tabel_dinamis" for the old HTML export: its own case of the model


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without a byte-order mark), or Windows-1252 as Excel saves CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceFileError(path, f"cannot be read ({exc.strerror})") from exc
    if b"\x00" in data[:4096]:
        raise SourceFileError(path, "not UTF-8 text (NUL bytes: UTF-16 or a binary file?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp1252")  # Excel's "CSV" on a Windows machine; BPS text is ASCII anyway
        except UnicodeDecodeError:
            raise SourceFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
