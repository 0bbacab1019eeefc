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
from dataclasses import dataclass
from functools import cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from ingest.rat.layout import Line
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings
from ingest.regions import load_regencies

_PUNCTUATION = "()[]{},.;:!?\"'“”"
_NUMERIC = re.compile(r"^[<>~]?[\d.,/]+$")
# Short words that the document may never print mid-line but that are certainly words.
_COMMON_WORDS = {
    *[
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
    ],
    *["kab", "kota", "desa", "prov", "provinsi", "&"],
    # Indonesian function words, rarely seen mid-line in a narrow column but certainly words.
    *[
        "secara",
        "sebagai",
        "antara",
        "adalah",
        "sesuai",
        "setiap",
        "tanpa",
        "hingga",
        "sampai",
        "sudah",
        "belum",
        "tidak",
        "akan",
        "juga",
    ],
    *[
        "lebih",
        "masih",
        "agar",
        "karena",
        "yaitu",
        "yakni",
        "bahwa",
        "tersebut",
        "telah",
        "dapat",
        "antar",
        "bersama",
    ],
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


@cache
def _place_names() -> frozenset[str]:
    """The words of NTT's area names ("Manggarai", "Ndao"): no Indonesian word list has them."""
    words = set()
    for regency in load_regencies():
        for name in (regency.name, *regency.aliases):
            words.update(_key(word) for word in name.split())
    return frozenset(words)


_CONFIXES = (("ke", "an"), ("pe", "an"), ("per", "an"), ("pem", "an"), ("pen", "an"), ("peng", "an"))


def is_confixed_compound(token: str, *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> bool:
    """A compound set solid inside a confix, which the word list lacks: "ke-tenaga-kerja-an"."""
    _, roots = _lexicon()
    key = _key(token)
    shortest = settings.min_compound_part
    for prefix, suffix in _CONFIXES:
        if key.startswith(prefix) and key.endswith(suffix):
            core = key[len(prefix) : len(key) - len(suffix)]
            splits = range(shortest, len(core) - shortest + 1)
            if any(core[:i] in roots and core[i:] in roots for i in splits):
                return True
    return False


def is_root_word(token: str) -> bool:
    """True when the token is an Indonesian root word exactly as written."""
    _, roots = _lexicon()
    parts = [part for part in re.split(r"[-/]", _key(token)) if part]
    return bool(parts) and all(part in roots for part in parts)


class Vocabulary:
    """Tokens the document prints whole: not next to a line break that could be inside a word."""

    def __init__(self, cells: Iterable[list[Line]], *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> None:
        self.words: set[str] = set(_COMMON_WORDS) | _place_names()
        for lines in cells:
            for i, line in enumerate(lines):
                cut_before = i > 0 and line_is_full(lines[i - 1], line, settings)
                cut_after = i + 1 < len(lines) and line_is_full(line, lines[i + 1], settings)
                for j, token in enumerate(line.words):
                    if (j == 0 and cut_before) or (j == len(line.words) - 1 and cut_after):
                        continue
                    self.words.add(_key(token))

    def __contains__(self, token: str) -> bool:
        return _key(token) in self.words


def line_is_full(line: Line, next_line: Line, settings: RatSettings) -> bool:
    """A line with no room left for the next line's first character."""
    return bool(line.words) and line.x1 + next_line.next_char_width > line.right_limit - settings.wrap_slack


def could_be_one_cut_word(line: Line, next_line: Line, settings: RatSettings) -> bool:
    """Engines cut only words wider than a whole line, so the two pieces together must be that wide."""
    line_width = line.right_limit - line.left_limit
    return line.last_word_width + next_line.first_word_width > line_width - settings.wrap_slack


_PREFIX_WORDS = {"di", "ke", "se"}  # words that are also prefixes: "di dalam" / "Disabilitas"


def _joint_word(last: str, first: str) -> str:
    """The word the break would form: 'pet' + 'ani/peternak' -> 'petani', 'pro' + 'duk-produk' -> 'produk'."""
    head = re.split(r"[-/]", last)[-1]
    tail = re.split(r"[-/]", first)[0]
    return head + tail


def _is_cut(line: Line, next_line: Line, settings: RatSettings) -> bool:
    return line_is_full(line, next_line, settings) and could_be_one_cut_word(line, next_line, settings)


def _is_strong_word(token: str, vocabulary: Vocabulary, settings: RatSettings) -> bool:
    """A token that is a word as it stands: printed whole by the document, a root, or a long inflected word.

    Short roots and short inflected forms are left out: the word list and the stemmer make words of
    fragments ("Pers", "tasi", "Pemul").
    """
    key = _key(token)
    return (
        token in vocabulary
        or (len(key) >= settings.strong_root_length and is_root_word(token))
        or (len(key) >= settings.strong_inflected_length and is_indonesian_word(token))
    )


def break_reading(
    line: Line,
    next_line: Line,
    vocabulary: Vocabulary,
    line_before: Line | None = None,
    line_after: Line | None = None,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
) -> tuple[bool, bool]:
    """(the break is inside a word, that reading is a guess) for the break between two lines of a cell.

    A cut is repaired only on evidence: geometry must allow it (the line had no room left and the two
    pieces are wider than a line), and then the document printing the joined word whole, a numeric
    cut, a short suffix fragment, or an Indonesian word formed from the pieces. Two words that end and
    start consecutive lines ("Persentasi|stunting", "pekerjaan|renumeratif") stay two words. What the
    evidence cannot settle is read the likelier way and reported as a guess.
    """
    if not _is_cut(line, next_line, settings):
        return False, False
    alone = len(line.words) == 1
    last, first = line.words[-1], next_line.words[0]
    # A word cut twice ("Ke|masyarakata|n", "pr|oduk-produk|") is judged whole.
    whole_tail = first
    if line_after is not None and len(next_line.words) == 1 and _is_cut(next_line, line_after, settings):
        whole_tail = first + line_after.words[0]
    whole_head = last
    if line_before is not None and alone and _is_cut(line_before, line, settings):
        whole_head = line_before.words[-1] + last
    if _NUMERIC.match(last) and first[:1].isdigit():
        return True, False
    if first[:1] in "/-,.;:)%" or last[-1] in "([<>~":
        # "Sosialisasi|/advokasi", "113,455,810|,589", "(|iuranjaminann", "DBD <|49": nothing breaks a
        # line there but a cut
        return True, False
    if last[-1].isdigit() != first[:1].isdigit():
        return False, False  # a number and its unit, a word and a number: "(419 unit)", "Alam|200 orang"
    if last[-1] in _PUNCTUATION or not first[:1].isalnum():
        return False, False
    if first[:1].isupper():
        # "Pengelolaan|Kesehatan" starts a word; an acronym cut ("APB|D", "HIV/AI|DS") is a guess.
        # An acronym's head ends in a capital: "APB|D", "BUM|Des", "HI|V/AIDS".
        acronym = last[-1].isupper()
        if acronym:
            return True, (last + first) not in vocabulary  # "APB|D" is sure when "APBD" is printed whole
        return False, False
    joined_is_word = any(
        is_indonesian_word(joint) or is_confixed_compound(joint, settings=settings)
        for joint in (_joint_word(last, first), _joint_word(last, whole_tail))
    )
    head_is_word = any(_is_strong_word(t, vocabulary, settings) for t in (last, whole_head))
    tail_is_word = any(_is_strong_word(t, vocabulary, settings) for t in (first, whole_tail))
    if any((last + tail) in vocabulary for tail in (first, whole_tail)):
        # "di|dalam" or "ke|luar" when the document also prints "didalam", "keluar": both readings exist.
        function_word = _key(last) in _COMMON_WORDS or _key(first) in _COMMON_WORDS
        return True, function_word or (head_is_word and tail_is_word)
    short_tail = len(_key(first)) <= settings.suffix_fragment_length
    if short_tail and (joined_is_word or not (head_is_word or is_root_word(first) or first in vocabulary)):
        return True, False  # "Meningkatny|a", "(iuranjaminan|n": a suffix left for the next line
    if joined_is_word:
        # "Pendid|ikan", "perlu|asan": the pieces make a word. With a short word for a head, the
        # break may as well be between two words: "di|dalam" or "Di|pulangkan".
        return True, _key(last) in _COMMON_WORDS and (tail_is_word or is_root_word(first))
    if head_is_word and tail_is_word:
        # Two words, unless they are one compound the word list lacks ("Kerja|sama"): two short roots,
        # the first alone on its line, neither printed whole elsewhere in the document, leave that open.
        printed_whole = last in vocabulary or first in vocabulary  # common function words included
        short = settings.short_root_length
        short_roots = all(is_root_word(t) and len(_key(t)) <= short for t in (last, first))
        return False, alone and short_roots and not printed_whole
    if (last in vocabulary and _key(last) not in _PREFIX_WORDS) or first in vocabulary:
        # One piece is a word the document prints whole ("berwolbachia|untuk"); "di" and "ke" are also
        # prefixes ("Di|sabilitas"), so a short function word for a head proves nothing.
        return False, False
    # Neither the lexicon nor the document settles it ("aegepty|berwolbachia", "Persentasi|stunting"):
    # a cut is repaired only on evidence, so the pieces stay apart, flagged.
    return False, True


@dataclass(frozen=True)
class CellReading:
    text: str  # the cell's text with its line breaks undone
    guessed: bool  # a break in it was read on a guess
    repairs: int  # line breaks read as inside a word (joined without a space)


def cell_reading(
    lines: list[Line], vocabulary: Vocabulary, *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> CellReading:
    """The cell's text with its line breaks undone, whether any break was read on a guess, and how many
    breaks were inside a word."""
    lines = [line for line in lines if line.words]
    text = ""
    guessed = False
    repairs = 0
    for index, line in enumerate(lines):
        if index:
            before = lines[index - 2] if index >= 2 else None
            after = lines[index + 1] if index + 1 < len(lines) else None
            # A line may end after "-" or "/" without the word ending: "16-|18", "Sosialisasi/|advokasi".
            if text.endswith(("-", "/")):
                continues = True
            else:
                continues, guess = break_reading(
                    lines[index - 1], line, vocabulary, before, after, settings=settings
                )
                guessed = guessed or guess
            text += "" if continues else " "
            repairs += continues
        text += line.text
    return CellReading(" ".join(text.split()), guessed, repairs)


def joined_reading(
    lines: list[Line], vocabulary: Vocabulary, *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> tuple[str, bool]:
    """The cell's text with its line breaks undone, and whether any break was read on a guess."""
    reading = cell_reading(lines, vocabulary, settings=settings)
    return reading.text, reading.guessed
