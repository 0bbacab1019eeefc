"""Funding sources (Sumber Pendanaan) in their many spellings, reduced to standard codes."""

from __future__ import annotations

import re

# Code, official name, and the patterns that name it. Order matters: specific before general.
FUNDING_SOURCES: list[tuple[str, str, re.Pattern[str]]] = [
    ("PAD", "Pendapatan Asli Daerah", re.compile(r"\bpad\b|pendapatan\s+asli\s+daerah", re.I)),
    ("DAU", "Dana Alokasi Umum", re.compile(r"\bdau\b|dana\s+alokasi\s+umum", re.I)),
    ("DAK", "Dana Alokasi Khusus", re.compile(r"\bdak\b|dana\s+alokasi\s+khusus", re.I)),
    ("DBH", "Dana Bagi Hasil", re.compile(r"\bdbh\b|dana\s+bagi\s+hasil", re.I)),
    ("DD", "Dana Desa", re.compile(r"\bdd\b|dana\s+desa", re.I)),
    ("APBN", "Anggaran Pendapatan dan Belanja Negara", re.compile(r"\bapbn\b", re.I)),
    ("APBD_KAB", "APBD Kabupaten/Kota", re.compile(r"\bapbd\s*(ii|2|kab)", re.I)),
    ("APBD", "Anggaran Pendapatan dan Belanja Daerah (Provinsi)", re.compile(r"\bapbd\b", re.I)),
    ("CSR", "Corporate Social Responsibility", re.compile(r"\bcsr\b", re.I)),
    ("HIBAH", "Hibah", re.compile(r"\bhibah\b", re.I)),
]


def funding_source_codes(text: str) -> list[str]:
    """Codes of every funding source the cell names, in order of appearance, without duplicates."""
    found: list[tuple[int, str]] = []
    remaining = text
    for code, _name, pattern in FUNDING_SOURCES:
        for match in pattern.finditer(remaining):
            found.append((match.start(), code))
        remaining = pattern.sub(lambda m: " " * len(m.group(0)), remaining)
    codes: list[str] = []
    for _start, code in sorted(found):
        if code not in codes:
            codes.append(code)
    if text.strip() and not codes:
        codes.append("OTHER")
    return codes


def funding_source_name(code: str) -> str:
    return next((name for c, name, _ in FUNDING_SOURCES if c == code), "Other (see raw text)")
