"""Where the bundled data lives, so extractors and the pipeline agree on it."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_DATA_DIR = REPO_ROOT / "data"
REFERENCE_DIR = BUNDLED_DATA_DIR / "reference"  # the tables readers resolve area names and codes against
REGENCY_REFERENCE_CSV = REFERENCE_DIR / "ntt_regencies.csv"


def display_path(path: Path) -> str:
    """The path as people should see it in tables and messages: repo-relative when inside the repo."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()
