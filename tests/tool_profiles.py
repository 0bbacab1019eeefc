"""A profile of its own for every LibreOffice and Chromium process the tests start, kept between runs.

Both tools keep a user profile, and on their first start they also write into the home folder
(`~/.cache/dconf`; Chromium `~/.config/chromium`). On a fresh machine the first `make test` lost every
Word-rendered fuzz layout to a LibreOffice that died while starting beside other starting ones (issue 24).
So each process takes a slot, `.cache/tool-profiles/<tool>/<n>/`, that no other process holds at the time
(an `flock` the kernel releases even if the holder is killed), with its profile, and XDG_CONFIG_HOME and
XDG_CACHE_HOME inside it: the tools leave the home folder alone. Slots are kept, so a later run starts on
a warm profile; a new profile is created by one process at a time (`first_start`).

Tesseract, Ghostscript, Poppler and ImageMagick keep no state in the home folder (checked with an empty
HOME), so they need none of this.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.file_locks import held, locked

PROFILES_DIR = Path(__file__).resolve().parents[1] / ".cache" / "tool-profiles"
READY = "ready"  # written once the tool has started on the slot's profile


@dataclass(frozen=True)
class Slot:
    folder: Path

    @property
    def profile(self) -> Path:
        return self.folder / "profile"

    @property
    def env(self) -> dict[str, str]:
        """The environment for the tool: its configuration and caches inside the slot."""
        return {
            **os.environ,
            "XDG_CONFIG_HOME": str(self.folder / "config"),
            "XDG_CACHE_HOME": str(self.folder / "cache"),
        }

    @property
    def is_new(self) -> bool:
        return not (self.folder / READY).exists()

    def mark_ready(self) -> None:
        (self.folder / READY).touch()

    def reset(self) -> None:
        """Forget the profile (a start-up that failed may have left half of one)."""
        (self.folder / READY).unlink(missing_ok=True)
        for name in ("profile", "config", "cache"):
            path = self.folder / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


@contextmanager
def tool_profile(tool: str, root: Path = PROFILES_DIR) -> Iterator[Slot]:
    """The first slot of `tool` no other process or thread holds, held until the block ends."""
    folder = root / tool
    folder.mkdir(parents=True, exist_ok=True)
    for n in itertools.count():
        descriptor = locked(folder / f"{n}.lock", blocking=False)
        if descriptor is None:
            continue
        try:
            slot = Slot(folder / str(n))
            slot.folder.mkdir(exist_ok=True)
            yield slot
        finally:
            os.close(descriptor)
        return


@contextmanager
def first_start(tool: str, root: Path = PROFILES_DIR) -> Iterator[None]:
    """Held while a new profile of `tool` is created: one process creates a profile at a time."""
    folder = root / tool
    folder.mkdir(parents=True, exist_ok=True)
    with held(folder / "first-start.lock"):
        yield
