"""The columns of a RAT matrix, recognised by their header names, however they are set."""

from __future__ import annotations

import re

from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings

# Every column a RAT matrix may have, in the order rows are written out. The province's plan has the 13
# STANDARD_COLUMNS; regencies' TKPK add a responsible agency, sub-activities with their indicators, or
# the budget spent, and may leave out Sektor or Kebijakan.
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
    "sub_kegiatan",
    "indikator_sub_kegiatan",
    "perangkat_daerah",
    "lokasi",
    "target_kinerja",
    "pagu",
    "realisasi",
    "sumber_pendanaan",
]
# The columns only regencies' sets have; the province's 13 are the rest.
REGENCY_COLUMNS = {"sub_kegiatan", "indikator_sub_kegiatan", "perangkat_daerah", "realisasi"}
STANDARD_COLUMNS = [column for column in COLUMNS if column not in REGENCY_COLUMNS]
INDICATOR_COLUMNS = ["indikator_sasaran", "indikator_program", "indikator_kegiatan", "indikator_sub_kegiatan"]
# A table is the matrix when its header names all of these ("indikator": at least one indicator column).
CORE_LABELS = {
    "program": "Program",
    "kegiatan": "Kegiatan",
    "indikator": "an Indikator",
    "lokasi": "Lokasi",
    "target_kinerja": "Target",
    "pagu": "Pagu/Anggaran",
    "sumber_pendanaan": "Sumber Pendanaan/Dana",
}

# Matched in full against a header cell's text with case, spaces, line breaks, punctuation, years and
# "Tahun" removed, so "Sumber\nPendana an", "SEKTOR / URUSAN", "Target Tahun 2023 / Kinerja" and
# "Pagu Indikatif (Rp)" all match, and a data cell that merely contains a header word ("relokasi") does not.
_INDICATOR = r"indikator(kinerja)?(keluaran|hasil|output|outcome)?"
_MONEY = r"(dalam)?(rp|rupiah|ribuan|ribu|juta)*"
_HEADER_PATTERNS: dict[str, re.Pattern[str]] = {
    "no": re.compile(r"no|nomor|nourut"),
    "sektor": re.compile(r"(sektor|urusan|bidang|pemerintahan)+"),
    "kebijakan": re.compile(r"(arah)?kebijakan(strategis)?"),
    "sasaran": re.compile(r"sasaran(strategis)?"),
    "indikator_sasaran": re.compile(_INDICATOR + r"sasaran(strategis)?"),
    "program": re.compile(r"program"),
    "indikator_program": re.compile(_INDICATOR + r"program"),
    "kegiatan": re.compile(r"kegiatan"),
    "indikator_kegiatan": re.compile(_INDICATOR + r"kegiatan"),
    "sub_kegiatan": re.compile(r"subkegiatan"),
    "indikator_sub_kegiatan": re.compile(_INDICATOR + r"subkegiatan"),
    "perangkat_daerah": re.compile(
        r"(perangkatdaerah|opd|skpd|instansi|dinas)(pelaksana|penanggungjawab|pengampu)?"
        r"|(pelaksana|penanggungjawab)(perangkatdaerah|opd|skpd)?"
    ),
    "lokasi": re.compile(r"lokasi(kegiatan|sasaran)?"),
    "target_kinerja": re.compile(r"(?=.*(target|kinerja))(target|kinerja|fisik|volume)+"),
    "pagu": re.compile(r"(target)?(pagu|anggaran|alokasi)+(indikatif|anggaran)?" + _MONEY),
    "realisasi": re.compile(r"realisasi(anggaran|keuangan|pagu|dana|belanja)?" + _MONEY),
    "sumber_pendanaan": re.compile(r"sumber(pendanaan|dana|anggaran|pembiayaan)?"),
}
# A bare "Indikator" / "Indikator Kinerja" column measures the column to its left.
_BARE_INDICATOR = re.compile(_INDICATOR)
_INDICATOR_OF = {
    "sasaran": "indikator_sasaran",
    "program": "indikator_program",
    "kegiatan": "indikator_kegiatan",
    "sub_kegiatan": "indikator_sub_kegiatan",
}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def squeezed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def column_names(
    header_texts: list[str], *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> list[str | None]:
    """The canonical name of each column from its (multi-row) header text; None where none matches."""
    names: list[str | None] = []
    for text in header_texts:
        match = _header_name(text, settings)
        if match == "indikator":
            owner = next((n for n in reversed(names) if n in _INDICATOR_OF), None)
            match = _INDICATOR_OF.get(owner or "")
        # "Target Tahun 2023 / Kinerja" and "Sasaran" patterns must not claim an already named column.
        names.append(match if match not in names else None)
    return names


def _header_key(text: str) -> str:
    return re.sub(r"(19|20)\d\d|tahun", "", squeezed(text))


def _header_name(text: str, settings: RatSettings) -> str | None:
    key = _header_key(text)
    if not key or len(key) > settings.max_header_length:
        return None
    found = next((name for name, pattern in _HEADER_PATTERNS.items() if pattern.fullmatch(key)), None)
    if found is None and _BARE_INDICATOR.fullmatch(key):
        return "indikator"
    return found


def missing_core_columns(names: list[str | None]) -> list[str]:
    """The core columns a header lacks ('indikator' when it names no indicator column)."""
    present = set(names)
    if present & set(INDICATOR_COLUMNS):
        present.add("indikator")
    return [column for column in CORE_LABELS if column not in present]


def is_matrix_header(names: list[str | None]) -> bool:
    return not missing_core_columns(names)


def is_header_like(row_texts: list[str], *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> bool:
    """A repeated header row: several cells name matrix columns, none holds data."""
    names = [_header_name(text, settings) for text in row_texts if text.strip()]
    hits = sum(1 for name in names if name)
    return hits >= settings.min_header_names or (hits == 1 and len(names) == 1)


def is_column_number_row(row_texts: list[str], *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> bool:
    """The row that numbers the columns 1, 2, ..., n (printed under the header on every page)."""
    # Digits only: a header word that overflows its repeated header can land on this row ("K9egiatan").
    numbers = [re.sub(r"\D", "", t) for t in row_texts if t.strip()]
    return len(numbers) >= settings.min_numbered_columns and numbers == [
        str(i) for i in range(1, len(numbers) + 1)
    ]


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
