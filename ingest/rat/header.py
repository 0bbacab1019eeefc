"""The 13 columns every RAT matrix shares, recognised by their header names, however they are set."""

from __future__ import annotations

import re

COLUMNS = [
    "no",
    "sektor",
    "kebijakan",
    "sasaran",
    "indikator_sasaran",
    "program",
    "indikator_program",
    "kegiatan",
    "indikator_kegiatan",
    "lokasi",
    "target_kinerja",
    "pagu",
    "sumber_pendanaan",
]

# Matched in full against a header cell's text with case, spaces, line breaks and punctuation removed,
# so "Sumber\nPendana an", "SEKTOR / URUSAN" and "Target Tahun 2023 / Kinerja" all match, and a data cell
# that merely contains a header word ("relokasi") does not.
_YEARISH = r"(target)?(tahun)?(\d{4})?"
_HEADER_PATTERNS: dict[str, re.Pattern[str]] = {
    "no": re.compile(r"no|nomor|nourut"),
    "sektor": re.compile(r"(sektor|urusan|bidang|pemerintahan)+"),
    "kebijakan": re.compile(r"(arah)?kebijakan"),
    "sasaran": re.compile(r"sasaran"),
    "indikator_sasaran": re.compile(r"indikatorsasaran"),
    "program": re.compile(r"program"),
    "indikator_program": re.compile(r"indikatorprogram"),
    "kegiatan": re.compile(r"(sub)?kegiatan"),
    "indikator_kegiatan": re.compile(r"indikator(sub)?kegiatan"),
    "lokasi": re.compile(r"lokasi(kegiatan)?"),
    # "Target Tahun 2023 / Kinerja", "Target 2023", "TARGET KINERJA 2023", "Target Kinerja / Kinerja".
    "target_kinerja": re.compile(r"(?=.*(target|kinerja))(target|kinerja|tahun|\d{4})+"),
    "pagu": re.compile(_YEARISH + r"(pagu|anggaran)(indikatif)?(rp|rupiah)?" + _YEARISH),
    "sumber_pendanaan": re.compile(r"sumber(pendanaan|dana|anggaran|pembiayaan)?"),
}
_MAX_HEADER_LENGTH = 40
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def squeezed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def column_names(header_texts: list[str]) -> list[str | None]:
    """The canonical name of each column from its (multi-row) header text; None where none matches."""
    names: list[str | None] = []
    for text in header_texts:
        match = _header_name(text)
        # "Target Tahun 2023 / Kinerja" and "Sasaran" patterns must not claim an already named column.
        names.append(match if match not in names else None)
    return names


def _header_name(text: str) -> str | None:
    key = squeezed(text)
    if not key or len(key) > _MAX_HEADER_LENGTH:
        return None
    return next((name for name, pattern in _HEADER_PATTERNS.items() if pattern.fullmatch(key)), None)


def is_complete_header(names: list[str | None]) -> bool:
    return sorted(n for n in names if n) == sorted(COLUMNS)


def is_header_like(row_texts: list[str]) -> bool:
    """A repeated header row: several cells name matrix columns, none holds data."""
    names = [_header_name(text) for text in row_texts if text.strip()]
    hits = sum(1 for name in names if name)
    return hits >= 2 or (hits == 1 and len(names) == 1)


def is_column_number_row(row_texts: list[str]) -> bool:
    """The row that numbers the columns 1, 2, ..., n (printed under the header on every page)."""
    numbers = [t.strip() for t in row_texts if t.strip()]
    return len(numbers) >= 3 and numbers == [str(i) for i in range(1, len(numbers) + 1)]


def year_from_header(header_texts: list[str], names: list[str | None] | None = None) -> int | None:
    """The plan year a header prints: "Target Tahun 2023", "Target 2023", "TARGET KINERJA 2023", "Pagu 2024".

    The target's and the budget's headers are read first: another column may name a baseline year.
    """
    names = names or [None] * len(header_texts)
    ranked = sorted(
        zip(header_texts, names, strict=True),
        key=lambda item: {"target_kinerja": 0, "pagu": 1}.get(item[1] or "", 2),
    )
    for text, _name in ranked:
        match = _YEAR.search(" ".join(text.split()))
        if match:
            return int(match.group(1))
    return None
