"""CSV cells a spreadsheet would evaluate are written as text (ingest.spreadsheet_safe)."""

import pytest

from ingest.spreadsheet_safe import spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        # Text that is only a signed number, and everything else, stays as it is.
        ("-5", "-5"),
        ("+2,5", "+2,5"),
        ("Pemenuhan upaya Kesehatan", "Pemenuhan upaya Kesehatan"),
        ("a=1", "a=1"),
        ("", ""),
        # Numbers stay numbers.
        (-5, -5),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_formula_like_text_is_written_as_text(value, written):
    assert spreadsheet_safe(value) == written
