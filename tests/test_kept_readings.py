"""Readings kept between runs (tests/scans.kept_reading): made once, then read back, on a fresh clone too."""

from pathlib import Path

import pytest

import tests.scans


def test_a_reading_is_kept_in_a_cache_folder_a_fresh_clone_does_not_have(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(tests.scans, "CACHE_DIR", tmp_path / ".cache" / "rat-scans")
    document = tmp_path / "plan.txt"
    document.write_text("RAT 2023")
    calls: list[Path] = []

    def read(path: Path) -> str:
        calls.append(path)
        return path.read_text().upper()

    assert tests.scans.kept_reading(document, "reading", read) == "RAT 2023"
    assert tests.scans.kept_reading(document, "reading", read) == "RAT 2023"
    assert calls == [document]  # the second is the kept one
    [kept] = (tmp_path / ".cache" / "rat-scans").iterdir()
    assert kept.name.startswith("reading-plan-") and kept.suffix == ".pickle"
