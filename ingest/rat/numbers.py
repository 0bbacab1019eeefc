"""Numbers as RAT matrices print them: Indonesian ("2.800", "14,2%") and English ("113,455,810,589")."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"\d[\d.,]*")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_CENTS = re.compile(r"[.,]\d{2}$")


def parse_rupiah(text: str) -> int | None:
    """A budget amount in whole rupiah: "113,455,810,589", "Rp 1.900.029.860,00" -> int; None if absent."""
    match = _NUMBER.search(text.replace(" ", ""))
    if not match:
        return None
    digits = match.group(0).rstrip(".,")
    # A trailing two-digit group after the other separator is cents ("1.900.029.860,00").
    if _CENTS.search(digits) and ("," in digits[:-3] or "." in digits[:-3]) and digits[-3] not in digits[:-3]:
        digits = digits[:-3]
    return int(re.sub(r"[.,]", "", digits))


def parse_decimal(token: str) -> float:
    """One number token, deciding which separator is the decimal one."""
    token = token.rstrip(".,")
    if "," in token and "." in token:
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(token.replace(thousands, "").replace(decimal, "."))
    if "," in token:
        if _THOUSANDS_COMMA.match(token) and token.count(",") > 1:
            return float(token.replace(",", ""))
        return float(token.replace(",", "."))  # Indonesian decimal comma: "14,2"
    if _THOUSANDS_DOT.match(token):
        return float(token.replace(".", ""))  # Indonesian thousands dot: "2.800"
    return float(token)


@dataclass(frozen=True)
class Target:
    value: float | None
    unit: str | None
    raw: str


_LEADING_NUMBER = re.compile(r"^\s*(\d[\d.,]*)\s*(%|[^\d\s(][^(]*?)?\s*(\(.*)?$")


def parse_target(text: str) -> Target:
    """A performance target: "14,2%" -> 14.2 %, "2.800 KUBE" -> 2800 KUBE, "20,33% (21 kW)" -> 20.33 %.

    Targets that do not start with a number ("Terselenggaranya penyaluran ...") stay text: value None.
    """
    raw = " ".join(text.split())
    match = _LEADING_NUMBER.match(raw)
    if not match:
        return Target(None, None, raw)
    unit = (match.group(2) or "").strip() or None
    return Target(parse_decimal(match.group(1)), unit, raw)
