"""Cell text from its lines, undoing the line breaks a narrow column forced.

A break can be inside a word ("Meningkatny|a", "113,455,810,|589", "masyarak|at") only when the line
above left no room for the next line's first character: word processors cut a word only when it does not
fit. Word and LibreOffice first move the long word to a line of its own; reportlab fills the current
line with its first piece. Geometry cannot settle every case: "Pengelolaan|Kesehatan" may fill the line
just as well. The words the document prints whole elsewhere decide those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from ingest.rat.layout import Line

_TOLERANCE = 0.75  # points of slack for rounding in glyph positions
_PUNCTUATION = "()[]{},.;:!?\"'“”"
_NUMERIC = re.compile(r"^[<>~]?[\d.,/]+$")
# Short words that the document may never print mid-line but that are certainly words.
_COMMON_WORDS = {
    "dan",
    "di",
    "ke",
    "yang",
    "untuk",
    "dari",
    "pada",
    "dengan",
    "bagi",
    "atau",
    "dalam",
    "serta",
    "oleh",
    "melalui",
    "terhadap",
    "tahun",
    "kab",
    "kota",
    "desa",
    "prov",
    "provinsi",
    "&",
}


def _key(token: str) -> str:
    return token.strip(_PUNCTUATION).lower()


@cache
def _lexicon() -> tuple[object, frozenset[str]]:
    factory = StemmerFactory()
    return factory.create_stemmer(), frozenset(factory.get_words_from_file())


def is_indonesian_word(token: str) -> bool:
    """True when the token, stripped of affixes, is an Indonesian root word ("produk-produk" too)."""
    stemmer, roots = _lexicon()
    parts = [part for part in re.split(r"[-/]", _key(token)) if part]
    return bool(parts) and all(part.isalpha() and stemmer.stem(part) in roots for part in parts)


class Vocabulary:
    """Tokens the document prints whole: not next to a line break that could be inside a word."""

    def __init__(self, cells: Iterable[list[Line]]) -> None:
        self.words: set[str] = set(_COMMON_WORDS)
        for lines in cells:
            for i, line in enumerate(lines):
                cut_before = i > 0 and line_is_full(lines[i - 1], line)
                cut_after = i + 1 < len(lines) and line_is_full(line, lines[i + 1])
                for j, token in enumerate(line.words):
                    if (j == 0 and cut_before) or (j == len(line.words) - 1 and cut_after):
                        continue
                    self.words.add(_key(token))

    def __contains__(self, token: str) -> bool:
        return _key(token) in self.words


def line_is_full(line: Line, next_line: Line) -> bool:
    """A line with no room left for the next line's first character."""
    return bool(line.words) and line.x1 + next_line.next_char_width > line.right_limit - _TOLERANCE


def could_be_one_cut_word(line: Line, next_line: Line) -> bool:
    """Engines cut only words wider than a whole line, so the two pieces together must be that wide."""
    line_width = line.right_limit - line.left_limit
    return line.last_word_width + next_line.first_word_width > line_width - _TOLERANCE


_SUFFIX_FRAGMENT_LENGTH = 3  # "a", "n", "an", "nya", "gan": what a cut usually leaves for the next line


def _joint_word(last: str, first: str) -> str:
    """The word the break would form: 'pet' + 'ani/peternak' -> 'petani', 'pro' + 'duk-produk' -> 'produk'."""
    head = re.split(r"[-/]", last)[-1]
    tail = re.split(r"[-/]", first)[0]
    return head + tail


def _is_cut(line: Line, next_line: Line) -> bool:
    return line_is_full(line, next_line) and could_be_one_cut_word(line, next_line)


def breaks_inside_word(
    line: Line,
    next_line: Line,
    vocabulary: Vocabulary,
    line_before: Line | None = None,
    line_after: Line | None = None,
) -> bool:
    if not _is_cut(line, next_line):
        return False
    last, first = line.words[-1], next_line.words[0]
    # A word cut twice ("Ke|masyarakata|n", "pr|oduk-produk|") is judged whole.
    whole_tail = first
    if line_after is not None and len(next_line.words) == 1 and _is_cut(next_line, line_after):
        whole_tail = first + line_after.words[0]
    whole_head = last
    if line_before is not None and len(line.words) == 1 and _is_cut(line_before, line):
        whole_head = line_before.words[-1] + last
    if _NUMERIC.match(last) and first[:1].isdigit():
        return True
    if last[-1].isdigit() and first[:1].isalpha():
        return False  # a number and its unit: "(419 unit)"
    if first[:1] in "/-,.;:)":
        return True  # "Sosialisasi|/advokasi", "113,455,810|,589": nothing breaks a line there but a cut
    if last[-1] in _PUNCTUATION or first[:1].isupper() or not first[:1].isalnum():
        return False
    if any(
        (last + tail) in vocabulary or is_indonesian_word(_joint_word(last, tail))
        for tail in (first, whole_tail)
    ):
        return True
    if first in vocabulary or whole_tail in vocabulary:
        return False
    alone = len(line.words) == 1
    if alone and len(_key(first)) <= _SUFFIX_FRAGMENT_LENGTH:
        return True
    if last in vocabulary or whole_head in vocabulary:
        return False
    tail_is_word = is_indonesian_word(first) or is_indonesian_word(whole_tail)
    if alone:
        head_is_word = is_indonesian_word(last) or is_indonesian_word(whole_head)
        return not (head_is_word and tail_is_word)
    # Sharing its line, the last token is a cut word's head (reportlab's way) only if the tail is no word.
    return not tail_is_word


def joined_text(lines: list[Line], vocabulary: Vocabulary) -> str:
    lines = [line for line in lines if line.words]
    text = ""
    for index, line in enumerate(lines):
        if index:
            before = lines[index - 2] if index >= 2 else None
            after = lines[index + 1] if index + 1 < len(lines) else None
            # A line may end after "-" or "/" without the word ending: "16-|18", "Sosialisasi/|advokasi".
            continues = text.endswith(("-", "/")) or breaks_inside_word(
                lines[index - 1], line, vocabulary, line_before=before, line_after=after
            )
            text += "" if continues else " "
        text += line.text
    return " ".join(text.split())
