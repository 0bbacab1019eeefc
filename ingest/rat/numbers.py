"""Numbers as RAT matrices print them: Indonesian ("2.800", "14,2%") and English ("113,455,810,589")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")

# The words plans write amounts in, and what they multiply by.
MULTIPLIERS = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "milyar": 10**9, "triliun": 10**12}
# A whole cell that is one amount: an optional "Rp", a number, an optional ",-" and an optional word.
_AMOUNT = re.compile(
    r"(?:rp\.?\s?)?(?P<number>\d(?:[\d.,]*\d)?)(?:[.,]-)?(?:\s?(?P<word>" + "|".join(MULTIPLIERS) + r"))?",
    re.IGNORECASE,
)
# Whole rupiah: plain digits, or thousands groups with one separator, then perhaps two digits of cents
# after the other one ("1.900.029.860,00", "113,455,810,589.00").
_WHOLE_RUPIAH = re.compile(r"(?P<whole>\d+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+)(?P<cents>[.,]\d{2})?")
_NUMBER_PIECE = re.compile(r"[\d.,]*\d[\d.,]*")


def _joined_cut_numbers(text: str) -> str:
    """A number cut by a line break the wrap repair left open made whole again ("1,015,000,00 0",
    "113,455,810, 589"): a piece with a separator that a digit or separator follows is not a number of
    its own. Two numbers ("2023 1000000") stay two."""
    pieces = text.split(" ")
    joined = [pieces[0]]
    for piece in pieces[1:]:
        before = joined[-1]
        cut = _NUMBER_PIECE.fullmatch(before) and re.search(r"[.,]", before) and re.match(r"[\d.,]", piece)
        if cut:
            joined[-1] = before + piece
        else:
            joined.append(piece)
    return " ".join(joined)


def parse_rupiah(text: str) -> int | None:
    """The amount in whole rupiah when all of `text` is one amount, else None.

    "113,455,810,589", "Rp 1.900.029.860,00" (cents dropped), "Rp 350.000.000,-", "Rp 2,5 Miliar"
    (2,500,000,000), "Rp 350 juta" (350,000,000), "1,5 triliun". Text around a number is not an amount:
    "2023: 1.000.000", "<script>alert(6)</script>", "1.000.000 + 2.000.000" are None, as are "" and "-".
    """
    cleaned = _joined_cut_numbers(" ".join(text.split()))
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        return None
    number, word = match["number"], match["word"]
    if word is None:
        whole = _WHOLE_RUPIAH.fullmatch(number)
        if not whole or (whole["cents"] and whole["cents"][0] in whole["whole"]):
            return None
        return int(re.sub(r"[.,]", "", whole["whole"]))
    value = _decimal(number)
    if value is None:
        return None
    amount = value * MULTIPLIERS[word.lower()]
    return int(amount) if amount == amount.to_integral_value() else None


def _decimal(token: str) -> Decimal | None:
    """A number as Indonesian plans print it before a word ("2,5", "2.5", "1.250", "350"), exactly."""
    if re.fullmatch(r"\d+", token):
        return Decimal(token)
    if _THOUSANDS_DOT.match(token) or (_THOUSANDS_COMMA.match(token) and token.count(",") > 1):
        return Decimal(re.sub(r"[.,]", "", token))
    if re.fullmatch(r"\d+[.,]\d+", token):
        return Decimal(token.replace(",", "."))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", token):
        return Decimal(token.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+", token):
        return Decimal(token.replace(",", ""))
    return None


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
