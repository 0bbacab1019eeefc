"""LibreOffice as the tests run it: a profile of its own per process, kept between runs, the home folder
left alone, a failed start-up retried once on a new profile and reported with LibreOffice's message."""

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.rat_fuzz.render import LibreOfficeRestarted, RenderError, convert_with_libreoffice, soffice
from tests.tool_profiles import tool_profile

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice is installed by `make test`")


def small_docx(path: Path, text: str = "Rencana Aksi Tahunan") -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    document.save(path)
    return path


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if not path.is_dir()]


def test_each_holder_gets_its_own_slot_and_a_freed_slot_is_used_again(tmp_path: Path):
    inside = threading.Barrier(3)

    def hold(_: int) -> Path:
        with tool_profile("tool", tmp_path) as slot:
            inside.wait(timeout=30)  # all three hold a slot at once
            return slot.folder

    with ThreadPoolExecutor(3) as pool:
        held = list(pool.map(hold, range(3)))
    assert sorted(p.name for p in held) == ["0", "1", "2"]
    with tool_profile("tool", tmp_path) as slot:
        assert slot.folder.name == "0"


def test_concurrent_first_starts_on_a_fresh_machine_all_convert(tmp_path: Path, monkeypatch):
    """Issue 24: LibreOffice processes starting together with no profile yet, and an empty home folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    profiles = tmp_path / "profiles"
    documents = [small_docx(tmp_path / f"plan{i}.docx", f"Rencana {i}") for i in range(3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", LibreOfficeRestarted)  # a restart here would be the bug again
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda d: convert_with_libreoffice([d], tmp_path, profiles), documents))
    assert all((tmp_path / f"plan{i}.pdf").stat().st_size > 1000 for i in range(3))
    slots = sorted(p.name for p in (profiles / "libreoffice").iterdir() if p.is_dir())
    assert len(slots) >= 1 and all((profiles / "libreoffice" / s / "ready").exists() for s in slots)
    assert files_under(home) == []  # LibreOffice's configuration and caches are in the slots


def test_a_failed_start_up_is_retried_once_on_a_new_profile(tmp_path: Path):
    profiles = tmp_path / "profiles"
    slot = profiles / "libreoffice" / "0"
    slot.mkdir(parents=True)
    (slot / "profile").write_text("not a profile")  # LibreOffice cannot start on it
    (slot / "ready").touch()
    document = small_docx(tmp_path / "plan.docx")
    with pytest.warns(LibreOfficeRestarted, match="User installation could not be completed"):
        convert_with_libreoffice([document], tmp_path, profiles)
    assert (tmp_path / "plan.pdf").exists()
    assert (slot / "profile" / "user").is_dir() and (slot / "ready").exists()


def test_a_document_libreoffice_cannot_load_is_an_error_with_its_message(tmp_path: Path):
    whole = small_docx(tmp_path / "whole.docx").read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(RenderError) as raised:
        convert_with_libreoffice([truncated], tmp_path, tmp_path / "profiles")
    message = str(raised.value)
    assert "truncated.docx" in message and "source file could not be loaded" in message
    assert "started twice" in message
