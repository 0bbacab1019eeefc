"""Text written to a CSV file stays text when a spreadsheet opens it.

Excel and LibreOffice evaluate a CSV cell that starts with `=`, `+`, `-` or `@` (and, after a tab or a
carriage return, whatever follows) as a formula: `=HYPERLINK("http://evil.example","click")` becomes a
link, `+cmd|' /C calc'!A0` a command (CSV injection). Every CSV the warehouse writes from landed text
(`ntt-warehouse extract-rat --out`, `ntt-warehouse export --format csv`) passes its text cells through
`spreadsheet_safe`, which prefixes such text with `'`: the spreadsheet shows the text, the `'` marks it
as text. Numbers stay numbers, and so does text that is only a signed number ("-5", "+2,5"), which no
spreadsheet evaluates as anything else. The XLSX workbook stores text as strings and needs none of this.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*%?")


def spreadsheet_safe(value: object) -> object:
    """`value` as a CSV cell that no spreadsheet evaluates: formula-like text gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value
