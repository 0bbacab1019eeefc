"""The files under a data or landing folder as a refresh may take them: never through a symbolic link,
never outside the folder, and nothing left out without saying why.

A symbolic link (to a file, a folder, or nothing) is refused and never followed: neither hashed, read nor
copied, and named as itself, never as its target. So is anything that is not a regular file (a FIFO would
block the refresh). A hidden name (starting with a dot) is listed as ignored, with the reason; a hidden
folder once, without walking into it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

LINK = "a symbolic link: refused, never followed; put the file itself in the folder"
HIDDEN_FILE = "a hidden file (its name starts with a dot): not read; without the dot it would be"
HIDDEN_FOLDER = "a hidden folder (its name starts with a dot): not read, nor anything in it"
OUTSIDE = "resolves outside the folder it was found in: refused"


@dataclass(frozen=True)
class Entry:
    path: Path
    refused: str | None = None  # why it is not read, a problem: quarantined under its name
    ignored: str | None = None  # why it is not read, no problem: listed as ignored


def entries_under(folder: Path) -> list[Entry]:
    """Every entry under `folder` (itself resolved first), in path order: regular files to read, and the
    rest with why they are not read."""
    root = Path(folder).resolve()
    if not root.is_dir():
        return []
    found: list[Entry] = []
    pending = [root]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                children = sorted(listing, key=lambda child: child.name)
        except OSError as error:
            found.append(Entry(current, refused=f"cannot be listed ({error.strerror or error})"))
            continue
        for child in children:
            entry, folder_to_walk = _entry(Path(child.path), child, root)
            if entry is not None:
                found.append(entry)
            if folder_to_walk is not None:
                pending.append(folder_to_walk)
    return sorted(found, key=lambda entry: entry.path)


def _entry(path: Path, child: os.DirEntry, root: Path) -> tuple[Entry | None, Path | None]:
    """(what to list for `child`, the folder to walk into)."""
    try:
        mode = child.stat(follow_symlinks=False).st_mode
    except OSError as error:
        return Entry(path, refused=f"cannot be looked at ({error.strerror or error})"), None
    if stat.S_ISLNK(mode):
        return Entry(path, refused=LINK), None
    if child.name.startswith("."):
        return Entry(path, ignored=HIDDEN_FOLDER if stat.S_ISDIR(mode) else HIDDEN_FILE), None
    if not path.parent.resolve().is_relative_to(root):  # a folder on the way swapped for a link meanwhile
        return Entry(path, refused=OUTSIDE), None
    if stat.S_ISDIR(mode):
        return None, path
    if not stat.S_ISREG(mode):
        return Entry(path, refused=f"not a regular file ({_kind(mode)}): refused, never opened"), None
    return Entry(path), None


def _kind(mode: int) -> str:
    kinds = {stat.S_ISFIFO: "a FIFO", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device"}
    return next((name for test, name in kinds.items() if test(mode)), "a device")
