"""Undoing line breaks in narrow cells, on both kinds of line end: a word processor moves a long word to
a line of its own before cutting it; reportlab fills the current line with its first piece. A cut is
repaired only on evidence; two real words that end and start consecutive lines stay two words."""

import pytest

from ingest.rat.layout import Line
from ingest.rat.text_repair import Vocabulary, break_reading, joined_reading

CHAR = 4.0  # points per character of the synthetic monospace font


def _cell(lines: list[str], width_chars: int) -> list[Line]:
    """Lines of a cell `width_chars` characters wide, each starting at the left edge."""
    left, right = 10.0, 10.0 + width_chars * CHAR
    out = []
    for i, text in enumerate(lines):
        words = text.split()
        out.append(
            Line(
                words=words,
                x0=left,
                x1=left + len(text) * CHAR,
                top=100.0 + 10 * i,
                bottom=108.0 + 10 * i,
                next_char_width=CHAR,
                first_word_width=len(words[0]) * CHAR,
                last_word_width=len(words[-1]) * CHAR,
                left_limit=left,
                right_limit=right,
            )
        )
    return out


def _read(lines: list[str], width: int, document_words: list[str] = ()) -> tuple[str, bool]:
    vocabulary = Vocabulary([_cell([w], 40) for w in document_words])
    return joined_reading(_cell(lines, width), vocabulary)


# (lines as a word processor sets them, as reportlab sets them), column width in characters, expected text.
CUT_WORDS = [
    ((["Meningkatny", "a Derajat"], ["Meningkatny", "a Derajat"]), 11, "Meningkatnya Derajat"),
    ((["Pendid", "ikan"], ["di Pend", "idikan"]), 7, None),
    ((["113,455,810,", "589"], ["113,455,810,", "589"]), 12, "113,455,810,589"),
    ((["(iuranjaminan", "n Kesehatan"], ["(iuranjaminan", "n Kesehatan"]), 13, "(iuranjaminann Kesehatan"),
    ((["Sosialisasi", "/advokasi"], ["Sosialisasi", "/advokasi"]), 11, "Sosialisasi/advokasi"),
]


@pytest.mark.parametrize(("styles", "width", "expected"), CUT_WORDS)
def test_a_cut_word_is_joined_on_both_kinds_of_line_end(styles, width, expected):
    for lines in styles:
        text, guessed = _read(lines, width)
        want = expected or ("Pendidikan" if lines[0] == "Pendid" else "di Pendidikan")
        assert (text, guessed) == (want, False), lines


@pytest.mark.parametrize(
    ("word_processor", "reportlab", "width", "expected"),
    [
        # The two: real words at the ends of consecutive lines.
        (["Persentasi", "stunting"], ["Persentasi", "stunting"], 10, "Persentasi stunting"),
        (
            ["memperoleh", "pekerjaan", "renumeratif"],
            ["memperoleh pekerjaan", "renumeratif"],
            20,
            "memperoleh pekerjaan renumeratif",
        ),
        (["Kesehatan", "ibu dan anak"], ["Pengelolaan Kesehatan", "ibu dan anak"], 21, None),
        (["kelompok", "masyarakat"], ["bagi kelompok", "masyarakat"], 13, None),
    ],
)
def test_two_words_are_never_glued(word_processor, reportlab, width, expected):
    for lines in (word_processor, reportlab):
        text, _ = _read(lines, width)
        assert text == (expected or " ".join(lines)), lines


def test_undecidable_breaks_are_flagged_and_the_document_decides_when_it_can():
    # Neither piece is in the word list: the break is kept and flagged ...
    assert _read(["Persentasi", "stunting"], 10) == ("Persentasi stunting", True)
    # ... unless the document prints one of them whole elsewhere.
    assert _read(["Persentasi", "stunting"], 10, ["stunting"]) == ("Persentasi stunting", False)
    # A joined form the document prints whole is a cut.
    assert _read(["aegepty", "berwolbachia"], 7, ["aegeptyberwolbachia"]) == ("aegeptyberwolbachia", False)


def test_geometry_rules_out_a_cut_when_the_line_had_room():
    # "di" ends a line with room to spare: the next word simply did not fit, whatever the lexicon says.
    lines = _cell(["berada di", "dalam panti"], 20)
    assert break_reading(lines[0], lines[1], Vocabulary([])) == (False, False)


def test_acronyms_cut_by_a_narrow_column():
    assert _read(["APB", "D"], 3, ["APBD"]) == ("APBD", False)
    text, guessed = _read(["HIV/AI", "DS"], 6)
    assert (text, guessed) == ("HIV/AIDS", True)
