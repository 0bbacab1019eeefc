"""Readings kept between runs (tests/scans.kept_reading): made once, then read back, on a fresh clone too."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
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
    [kept] = [p for p in (tmp_path / ".cache" / "rat-scans").iterdir() if not p.name.startswith(".")]
    assert kept.name.startswith("reading-plan-") and kept.suffix == ".pickle"


def _at_once(call, times: int = 2) -> list:
    """`call()` from `times` threads let go together, as test workers of a fresh run do."""
    start = threading.Barrier(times)

    def run(_):
        start.wait()
        return call()

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(run, range(times)))


def test_a_reading_asked_for_by_two_workers_at_once_is_made_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(tests.scans, "CACHE_DIR", tmp_path / "rat-scans")
    document = tmp_path / "plan.txt"
    document.write_text("RAT 2023")
    calls: list[Path] = []

    def read(path: Path) -> str:
        calls.append(path)
        time.sleep(0.3)  # OCR takes a minute; a third of a second lets the other worker look
        return uuid.uuid4().hex  # unlike Tesseract, never the same twice: shows whose reading is kept

    first, second = _at_once(lambda: tests.scans.kept_reading(document, "reading", read))
    assert len(calls) == 1 and first == second
    assert tests.scans.kept_reading(document, "reading", read) == first


def test_a_scan_asked_for_by_two_workers_at_once_is_made_once_and_its_bytes_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A PDF writer stamps the time: two makes of one scan differ, and the second one replacing the first
    lost every reading kept under the first one's bytes (the next run read the scan again: 60 s)."""
    monkeypatch.setattr(tests.scans, "CACHE_DIR", tmp_path / "rat-scans")
    made: list[bytes] = []

    def make(destination: Path) -> None:
        made.append(uuid.uuid4().bytes)
        time.sleep(0.3)
        destination.write_bytes(made[-1])

    first, second = _at_once(lambda: tests.scans._cached("clean", {"dpi": 1}, make))
    assert first == second and len(made) == 1
    assert first.read_bytes() == made[0]
