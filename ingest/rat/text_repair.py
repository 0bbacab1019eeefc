"""Cell text from its lines, undoing the line breaks a narrow column forced.

Word processors move a word that does not fit to the next line; only a word longer than a whole line
is cut, and its first piece then fills a line alone. So a break can be inside a word ("Meningkatny|a",
"113,455,810,|589") only when the line above holds a single token that left no room for the next
line's first character. Geometry cannot settle every such case: "Pengelolaan|Kesehatan" may fill the
line just as well. The words the document prints whole elsewhere decide those.
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
    """True when the token, stripped of affixes, is an Indonesian root word."""
    stemmer, roots = _lexicon()
    key = _key(token)
    return key.isalpha() and stemmer.stem(key) in roots


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
    """A single-token line with no room left for the next line's first character."""
    return len(line.words) == 1 and line.x1 + next_line.next_char_width > line.right_limit - _TOLERANCE


_SUFFIX_FRAGMENT_LENGTH = 3  # "a", "n", "an", "nya", "gan": what a cut usually leaves for the next line


def breaks_inside_word(line: Line, next_line: Line, vocabulary: Vocabulary) -> bool:
    if not line_is_full(line, next_line):
        return False
    last, first = line.words[-1], next_line.words[0]
    if _NUMERIC.match(last) and first[:1].isdigit():
        return True
    if last[-1] in _PUNCTUATION or first[:1].isupper() or not first[:1].isalnum():
        return False
    if (last + first) in vocabulary:
        return True
    if first in vocabulary:
        return False
    if len(_key(first)) <= _SUFFIX_FRAGMENT_LENGTH:
        return True
    both_words = last in vocabulary or (is_indonesian_word(last) and is_indonesian_word(first))
    return not both_words


def joined_text(lines: list[Line], vocabulary: Vocabulary) -> str:
    text = ""
    previous: Line | None = None
    for line in lines:
        if not line.words:
            continue
        if previous is not None:
            # A line may end after "-" or "/" without the word ending: "16-|18", "Sosialisasi/|advokasi".
            continues = text.endswith(("-", "/")) or breaks_inside_word(previous, line, vocabulary)
            text += "" if continues else " "
        text += line.text
        previous = line
    return " ".join(text.split())
