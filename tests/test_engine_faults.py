"""The engine where the file system works against it (issue 23, item 7): symbolic links planted where it
writes, a disk that fills during a load, a folder named with a quote, a warehouse folder it cannot write."""

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from store.build_lock import LOCK_NAME, refresh_lock
from store.contract import BUNDLED, Source, SourceFile
from store.errors import WarehouseFolderError
from store.ledger import QuarantineRecord, ensure_tables
from store.quarantine_folder import copy_to_quarantine_folder
from tests.conftest import cli_env, query, run_cli

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def planted_link(at: Path, tmp_path: Path) -> Path:
    """A symbolic link at `at` to a file outside the warehouse, whose content must survive."""
    victim = tmp_path / "victim.txt"
    victim.parent.mkdir(parents=True, exist_ok=True)
    victim.write_text("not the warehouse's\n")
    at.parent.mkdir(parents=True, exist_ok=True)
    at.symlink_to(victim)
    return victim


def test_a_link_planted_at_the_lock_file_is_not_followed(tmp_path: Path):
    build = tmp_path / "warehouse" / ".build"
    victim = planted_link(build / LOCK_NAME, tmp_path)
    with (
        pytest.raises(WarehouseFolderError, match=r"refresh\.lock: is a symbolic link"),
        refresh_lock(build, 0),
    ):
        pass
    assert victim.read_text() == "not the warehouse's\n"


def test_links_planted_at_a_quarantine_copy_and_its_note_are_replaced_not_followed(tmp_path: Path):
    landed = tmp_path / "landing" / "broken.csv"
    landed.parent.mkdir()
    landed.write_text("name,value\nx,oops\n")
    sha = hashlib.sha256(landed.read_bytes()).hexdigest()
    folder = tmp_path / "warehouse" / "quarantine"
    copy = folder / f"{sha[:12]}-broken.csv"
    victims = [
        planted_link(copy, tmp_path / "one"),
        planted_link(copy.with_name(copy.name + ".reason.txt"), tmp_path / "two"),
    ]
    record = QuarantineRecord(
        "figures", str(landed), sha, 2, None, "parse", "broken.csv, row 2: not a number", NOW
    )

    assert copy_to_quarantine_folder([record], folder, {str(landed): landed}) == [copy]
    assert [v.read_text() for v in victims] == ["not the warehouse's\n"] * 2
    assert not copy.is_symlink() and copy.read_text() == landed.read_text()
    note = copy.with_name(copy.name + ".reason.txt")
    assert not note.is_symlink() and note.read_text().startswith("broken.csv, row 2: not a number\n")
    assert copy.stat().st_mode & 0o077 == 0  # the owner's alone
    assert sorted(p.name for p in folder.iterdir()) == [copy.name, note.name]  # no temporary file left


def read_many(path: Path) -> dict[str, pd.DataFrame]:
    """As many rows as the file says: enough for a load's commit to need a few megabytes."""
    rows = int(path.read_text())
    frame = pd.DataFrame({"value": range(rows), "text": [f"row {i} of {path.name}" for i in range(rows)]})
    return {"many": frame.assign(_source_row=frame["value"] + 2)}


MANY = Source(name="many", tables=("many",), claims=lambda path: True, read=read_many, empty=lambda: {})

_CHILD = textwrap.dedent("""
    import resource, signal, sys
    from datetime import UTC, datetime
    from pathlib import Path
    import duckdb
    from store.contract import BUNDLED, SourceFile
    from store.loader import load_source
    from tests.test_engine_faults import MANY
    database, data, limit = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
    with duckdb.connect(database) as connection:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        try:
            files = [SourceFile(data, BUNDLED)]
            load_source(connection, MANY, files, reader_version="v1", now=datetime.now(UTC))
        except Exception as error:
            print(f"{type(error).__name__}: {error}".splitlines()[0])
            sys.exit(3)
""")


def test_a_load_whose_commit_cannot_be_written_says_why_and_changes_nothing(tmp_path: Path):
    """A full disk at commit ends DuckDB's transaction; the rollback after it then fails too ("cannot
    rollback - no transaction is active"), which used to be the only error anyone saw."""
    database = tmp_path / "build.duckdb"
    data = tmp_path / "many.txt"
    data.write_text("60000")
    with duckdb.connect(str(database)) as connection:
        ensure_tables(connection)
        connection.execute("checkpoint")
    limit = database.stat().st_size + 64 * 1024  # the file as it is, and room for a small write-ahead log
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(database), str(data), str(limit)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert child.returncode == 3, child.stdout + child.stderr[-2000:]
    assert "File too large" in child.stdout and "cannot rollback" not in child.stdout, child.stdout
    assert query(database, "select count(*) from raw.source_files") == [(0,)]
    assert query(database, "select count(*) from information_schema.tables where table_name = 'many'") == [
        (0,)
    ]


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """A folder the refresh cannot write in: its permissions, or for root, which they do not stop, a
    read-only file system mounted there (skipped where neither is possible)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mount = shutil.which("mount")
    if (
        not mount
        or subprocess.run([mount, "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)]).returncode
    ):
        pytest.skip("running as root, and no read-only file system can be mounted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_warehouse_folder_that_cannot_be_written_is_one_line_naming_it(
    read_only_folder: Path, tmp_path: Path
):
    published = read_only_folder / "warehouse" / "ntt_poverty.duckdb"
    refresh = run_cli(
        "refresh", "--warehouse", str(published), env=cli_env(LANDING_DIR=tmp_path), timeout=120
    )
    assert refresh.returncode == 73
    [line] = refresh.stderr.strip().splitlines()
    assert (
        line.startswith("error: cannot write the warehouse: ") and str(read_only_folder / "warehouse") in line
    )
    assert "Read-only file system" in line or "Permission denied" in line
    assert "Traceback" not in refresh.stderr + refresh.stdout


def test_a_source_file_is_named_in_its_load_even_with_a_quote(tmp_path: Path):
    folder = tmp_path / "o'clock"
    folder.mkdir()
    (folder / "it's.txt").write_text("3")
    from store.loader import load_source

    with duckdb.connect(str(tmp_path / "build.duckdb")) as connection:
        result = load_source(
            connection, MANY, [SourceFile(folder / "it's.txt", BUNDLED)], reader_version="v1", now=NOW
        )
    assert result.table_rows == {"many": 3}
    assert query(tmp_path / "build.duckdb", "select distinct _source_file from raw.many") == [
        (str(folder / "it's.txt"),)
    ]
