"""A copy of every quarantined file, with a note saying why, where a person looks for them."""

from __future__ import annotations

import shutil
from pathlib import Path

from store.ledger import QuarantineRecord
from store.paths import REPO_ROOT


def copy_to_quarantine_folder(records: list[QuarantineRecord], folder: Path) -> list[Path]:
    """Copy each quarantined file (once per content) into `folder`, with a `.reason.txt` note beside it."""
    by_file: dict[tuple[str, str], list[QuarantineRecord]] = {}
    for record in records:
        by_file.setdefault((record.source_file, record.sha256), []).append(record)
    copies = []
    for (source_file, sha256), problems in sorted(by_file.items()):
        source = Path(source_file)
        source = source if source.is_absolute() else REPO_ROOT / source
        if not source.is_file():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / f"{sha256[:12]}-{source.name}"
        if not copy.exists():
            shutil.copyfile(source, copy)
        reasons = "\n".join(p.reason for p in problems)
        first = min(p.quarantined_at for p in problems)
        copy.with_name(copy.name + ".reason.txt").write_text(
            f"{reasons}\nquarantined at {first} by source {problems[0].source}\n"
        )
        copies.append(copy)
    return copies
