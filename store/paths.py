"""Where the bundled data lives, so extractors and the pipeline agree on it; and how a path is shown."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_DATA_DIR = REPO_ROOT / "data"
REFERENCE_DIR = BUNDLED_DATA_DIR / "reference"  # the tables readers resolve area names and codes against
REGENCY_REFERENCE_CSV = REFERENCE_DIR / "ntt_regencies.csv"

# Characters that move a terminal's cursor, colour or direction, or start a new line, when printed raw.
_ESCAPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, *, backslash: bool = False) -> str:
    """`text` safe to print on one line: control and format characters (a newline, a terminal escape, a
    right-to-left override) escaped as `\\n`, `\\x1b`, `\\u202e`, and a byte of a file name that is not
    UTF-8 (decoded by Python as a lone surrogate) as `\\xff`. Text from a file is data, never a command to
    the terminal. `backslash`: escape `\\` too, so that two different names never print the same."""
    if text.isascii() and text.isprintable() and not (backslash and "\\" in text):
        return text
    shown = []
    for character in text:
        code = ord(character)
        if character == "\\" and backslash:
            shown.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
            shown.append(f"\\x{code - 0xDC00:02x}")
        elif character in _SHORT:
            shown.append(_SHORT[character])
        elif unicodedata.category(character) in _ESCAPED_CATEGORIES:
            shown.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            shown.append(character)
    return "".join(shown)


def display_path(path: Path) -> str:
    """The path as people should see it in tables and messages: repo-relative when inside the repo, its
    folders resolved but the file itself never followed (a symbolic link is named as itself, not as what it
    points to), and printable (see `printable`; a file's name in the ledger is this)."""
    absolute = Path(os.path.abspath(path))
    where = absolute.parent.resolve() / absolute.name if absolute.name else absolute
    try:
        shown = where.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        shown = where.as_posix()
    return printable(shown, backslash=True)
