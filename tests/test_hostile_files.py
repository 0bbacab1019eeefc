"""Hostile and broken files in the landing folder, all in one refresh (issue 23).

An attacker and an unlucky user land, together: symbolic links to /etc/shadow, to a file outside that
would parse as a table, to a folder and to nothing; a FIFO; an XLSX of 1.6 KB claiming A1:XFD1048576 and
an XLSX zip bomb (600 MB of sheet XML); a PDF whose stream inflates to 1.5 GB and a scan whose page is 600
inches square; a 200 MB CSV and a 2 GB sparse file; a CSV with one cell over 128 KiB and one with a stray
quote; WebAPI JSON nested 100,000 deep and of the wrong types; names not in UTF-8, 250 bytes long, with
terminal escapes, with a newline; a hidden file; and, with a WebAPI key set, a P0 answer cut short and a
poverty-line answer in full. The warehouse's folder is named with a quote (o'clock/), and the runs are
recorded by a persistent Dagster instance (DAGSTER_HOME).

The refresh (`ntt-warehouse refresh` in a subprocess, its process tree sampled from /proc) must exit 0 and
publish the rest, stay under 2.5 GB, keep the quarantine folder small, read nothing outside the landing
folder (the link targets' access times and contents), and list every file in one line with its name
escaped. The key reaches the run only through the `warehouse` resource's `dg.EnvVar`: no file of the
instance (the runs' records and config, the event logs, the compute logs), of the warehouse folder or of
the landing folder (the saved answer) holds it. Paths go into DuckDB's SQL as parameters, so the exports
work into folders named with quotes. Then `query` can neither write a file nor read one outside the
warehouse, and no CSV cell of an export is a live formula. Its peak memory and time are written to
test-output/hostile_files.json.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import pytest

from bench.run import timed_run
from ingest.spreadsheet_safe import FORMULA_STARTS
from store.paths import BUNDLED_DATA_DIR, display_path
from tests import hostile_files as crafted
from tests.conftest import (
    POVERTY_LINE_2024_FILE,
    QUOTED_FOLDER,
    TEST_OUTPUT,
    Warehouse,
    cli_env,
    private_copy,
    run_cli,
)
from tests.conftest import query as query_file

PEAK_MB_LIMIT = 2500
ESCAPED = "\x1b[31mred\x1b[0m.csv"  # a name that colours a terminal red
TWO_LINES = "two\nlines.csv"
NOT_UTF8 = os.fsdecode(b"garis_kemiskinan_\xff.csv")
LONG = "rencana_" + "x" * 236 + ".csv"  # 248 bytes: with a digest in front, too long for a file name
SAVED_P0 = "bps-webapi_d0000_v621_20250101T000000Z.json"


@dataclass
class Story:
    warehouse: Warehouse
    outside: Path
    home: Path
    key: str
    atimes: dict[Path, float]
    refreshed_from: float  # the time the refresh started: a file it wrote was changed since
    seconds: float
    peak_mb: float
    returncode: int
    output: str
    again: str
    status: str
    requests: list[str]


@contextmanager
def webapi_cutting_answers_short() -> Iterator[tuple[str, list[str]]]:
    """A WebAPI on 127.0.0.1 whose first P0 answer stops halfway through the length it announced, then
    answers 404; it answers the poverty line (var 624) in full, and 404 for every other variable."""
    from tests.webapi_replay import p0_response, poverty_line_response

    requests: list[str] = []
    body = json.dumps(p0_response(with_missing=False)).encode()
    poverty_line = json.dumps(poverty_line_response(2024)).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            if "/var/621/" in self.path and sum("/var/621/" in r for r in requests) == 1:
                self.answer(body, sent=len(body) // 2)
                self.close_connection = True
            elif "/var/624/" in self.path:
                self.answer(poverty_line)
            else:
                self.send_response(404)
                self.end_headers()

        def answer(self, whole: bytes, sent: int | None = None) -> None:
            """200 announcing `whole`'s length, then the first `sent` bytes of it (all by default)."""
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(whole)))
            self.end_headers()
            self.wfile.write(whole[:sent])
            self.wfile.flush()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/api", requests
    finally:
        server.shutdown()
        server.server_close()


def canary_table(token: str) -> str:
    """A file that would parse as a BPS table (next year's P0) and names `token` in a row."""
    from tests.bps_files import p0_table_with_2026

    return p0_table_with_2026() + f"{token},1,2,3\n"


def land_everything(landing: Path, outside: Path, token: str) -> dict[Path, float]:
    """Land every crafted case; returns the link targets outside with their access times, set in the past
    (before their change time, so any read updates them on a relatime mount)."""
    from tests.webapi_replay import p0_response

    outside.mkdir()
    (outside / "canary.csv").write_text(canary_table(token))
    (outside / "folder").mkdir()
    (outside / "folder" / "inside.csv").write_text(canary_table(token + "-folder"))
    (landing / "shadow.csv").symlink_to("/etc/shadow")
    (landing / "table.csv").symlink_to(outside / "canary.csv")
    (landing / "linked_folder").symlink_to(outside / "folder")
    (landing / "dangling.pdf").symlink_to(outside / "nothing-here.pdf")
    crafted.fifo(landing / "pipe.csv")
    crafted.xlsx_claiming_everything(landing / "claims_everything.xlsx")
    crafted.xlsx_zip_bomb(landing / "zip_bomb.xlsx")
    crafted.pdf_bomb(landing / "RAT_bomb.pdf")
    crafted.pdf_page_600_inches(landing / "RAT_600_inches.pdf")
    crafted.large_csv(landing / "large.csv")
    crafted.sparse_file(landing / "sparse.csv")
    wide = "Kabupaten/Kota,2023\n" + "Kupang," + "9" * (129 * 1024) + "\n"
    (landing / "wide_cell.csv").write_text(wide)
    rows = "".join(f"Kabupaten {i},{i}.5\n" for i in range(12_000))
    (landing / "stray_quote.csv").write_text('Kabupaten/Kota,2023\nKupang,"22.5\n' + rows)
    webapi = landing / "bps-webapi"
    webapi.mkdir()
    (webapi / SAVED_P0).write_text(json.dumps(p0_response(with_missing=False)))
    (webapi / "bps-webapi_d0000_v622_20250101T000000Z.json").write_text("[" * 100_000 + "]" * 100_000)
    wrong = {"status": "OK", "var": "P1", "turvar": 3, "vervar": ["5301"], "datacontent": [1, 2]}
    (webapi / "bps-webapi_d0000_v623_20250101T000000Z.json").write_text(json.dumps(wrong))
    shutil.copyfile(BUNDLED_DATA_DIR / POVERTY_LINE_2024_FILE, landing / NOT_UTF8)
    (landing / LONG).write_text("not,a,table\n1,2,3\n")
    (landing / ESCAPED).write_text("not,a,table\n4,5,6\n")
    (landing / TWO_LINES).write_text("not,a,table\n7,8,9\n")
    (landing / ".hidden.csv").write_text("not,a,table\n10,11,12\n")
    targets = [outside / "canary.csv", outside / "folder" / "inside.csv"]
    for target in targets:
        changed = target.stat().st_mtime
        os.utime(target, (changed - 3600, changed))
    return {target: target.stat().st_atime for target in targets}


@pytest.fixture(scope="module")
def story(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Story:
    folder = tmp_path_factory.mktemp("hostile")
    # The worker's copy (its folder named with a quote), whose dbt parse state is kept from run to run.
    warehouse = private_copy(built_warehouse, tmp_path_factory)
    assert QUOTED_FOLDER in str(warehouse.published)
    home = folder / "dagster_home"
    home.mkdir()
    token = f"CANARY-{secrets.token_hex(8)}"
    atimes = land_everything(warehouse.landing, folder / "outside", token)
    key = f"secret-{secrets.token_hex(12)}"
    command = [sys.executable, "-m", "dagster_project.cli", "refresh"]
    command += ["--warehouse", str(warehouse.published)]
    refreshed_from = time.time()
    with webapi_cutting_answers_short() as (base_url, requests):
        env = {**warehouse.env(), "BPS_API_KEY": key, "BPS_API_BASE": base_url, "DAGSTER_HOME": str(home)}
        seconds, peak, refresh = timed_run(command, env)
    again = run_cli(*command[3:], env={**warehouse.env(), "DAGSTER_HOME": str(home)})  # no key: no fetch
    status = warehouse.cli("status")
    TEST_OUTPUT.mkdir(exist_ok=True)
    figures = {"seconds": round(seconds, 1), "peak_mb": round(peak), "second_refresh_output": again.stdout}
    (TEST_OUTPUT / "hostile_files.json").write_text(json.dumps(figures, indent=2))
    (TEST_OUTPUT / "hostile_files_summary.txt").write_text(refresh.stdout + "\n" + status.stdout)
    print(f"hostile-files refresh: {seconds:.1f} s, peak {peak:.0f} MB of the process tree")
    output = refresh.stdout + refresh.stderr
    return Story(
        warehouse, folder / "outside", home, key, atimes, refreshed_from, seconds, peak, refresh.returncode,
        output,
        again.stdout + again.stderr, status.stdout + status.stderr, list(requests),
    )  # fmt: skip


def ledger(story: Story) -> dict[str, tuple[str, str, str]]:
    """File name (as the ledger shows it, relative to the landing folder) -> (source, status, reason)."""
    landing = display_path(story.warehouse.landing) + "/"  # as the ledger names files (repo-relative)
    rows = query_file(
        story.warehouse.published, "select source_file, source, status, reason from provenance.source_files"
    )
    return {
        name.removeprefix(landing): (source, status, reason or "") for name, source, status, reason in rows
    }


def test_the_refresh_publishes_the_rest_within_its_memory_and_says_each_file_in_one_line(story: Story):
    assert story.returncode == 0, story.output[-4000:]
    assert "Refresh succeeded" in story.output and "Traceback" not in story.output
    assert story.peak_mb < PEAK_MB_LIMIT, f"{story.peak_mb:.0f} MB"
    files = ledger(story)
    quarantined = {
        "shadow.csv": "symbolic link",
        "table.csv": "symbolic link",
        "linked_folder": "symbolic link",
        "dangling.pdf": "symbolic link",
        "pipe.csv": "not a regular file",
        "claims_everything.xlsx": "budget",
        "zip_bomb.xlsx": "budget",
        "RAT_bomb.pdf": "inflate to over 256 MB",
        "RAT_600_inches.pdf": "pixel budget",
        "large.csv": "over the 100 MB budget for one file",
        "sparse.csv": "2,048 MB, over the 100 MB budget for one file",
        "wide_cell.csv": "",
        "stray_quote.csv": "",
        "bps-webapi/bps-webapi_d0000_v622_20250101T000000Z.json": "",
        "bps-webapi/bps-webapi_d0000_v623_20250101T000000Z.json": "",
        LONG: "",
        "\\x1b[31mred\\x1b[0m.csv": "",
        "two\\nlines.csv": "",
    }
    for name, said in quarantined.items():
        assert name in files, (name, sorted(files))
        _, status, reason = files[name]
        assert status == "quarantined" and said in reason, (name, status, reason)
        line = next(line for line in story.output.splitlines() if f"quarantined: {reason[:60]}" in line)
        assert "\x1b" not in line  # one line each, nothing a terminal obeys
    assert files[".hidden.csv"][1:] == ("ignored", f"{display_path(story.warehouse.landing)}/.hidden.csv: "
                                        "a hidden file (its name starts with a dot): not read; without the "
                                        "dot it would be")  # fmt: skip
    assert files["garis_kemiskinan_\\xff.csv"][1] == "duplicate"  # read, recognised as the bundled bytes
    assert files[f"bps-webapi/{SAVED_P0}"][1] in {"loaded", "unchanged"}
    facts = query_file(story.warehouse.published, "select count(*) from main.fct_poverty_indicator")[0][0]
    assert facts > 0
    assert any((story.warehouse.published.parent / "parquet").glob("*.parquet"))


def test_nothing_outside_the_landing_folder_was_read(story: Story):
    for target, atime in story.atimes.items():
        assert target.stat().st_atime == atime, f"{target} was read"
    published = story.warehouse.published
    names = [row[0] for row in query_file(published, "select source_file from provenance.source_files")]
    assert not any(str(story.outside) in name or "/etc/shadow" in name for name in names)
    assert "CANARY" not in story.output and "/etc/shadow" not in story.output
    warehouse_folder = published.parent
    assert files_holding(b"CANARY", warehouse_folder, story.home) == []
    shadow = Path("/etc/shadow")
    if os.access(shadow, os.R_OK):
        hashes = [line.split(":")[1] for line in shadow.read_text().splitlines() if len(line.split(":")) > 2]
        for secret in {h for h in hashes if len(h) > 8}:
            assert files_holding(secret.encode(), warehouse_folder, story.home) == []


def files_holding(needle: bytes, *folders: Path, changed_since: float = 0.0) -> list[Path]:
    """The files under `folders` holding `needle`, of those changed since `changed_since` (a file last
    written before the refresh began cannot hold what only the refresh saw: the landing folder's crafted
    2 GB sparse file and 200 MB CSV were read whole, 15-40 s, to prove nothing)."""
    return [
        p
        for f in folders
        for p in f.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and p.stat().st_mtime >= changed_since
        and needle in p.read_bytes()
    ]


def test_the_quarantine_folder_keeps_small_bounded_copies_of_what_is_quarantined(story: Story):
    folder = story.warehouse.published.parent / "quarantine"
    copies = sorted(p for p in folder.iterdir() if not p.name.endswith(".reason.txt"))
    assert sum(p.stat().st_size for p in folder.iterdir()) < 8 << 20
    assert all(not p.is_symlink() for p in folder.iterdir())
    names = {p.name[13:] for p in copies}
    assert {"zip_bomb.xlsx", "RAT_bomb.pdf", "\\x1b[31mred\\x1b[0m.csv", "two\\nlines.csv"} <= names
    assert not names & {"shadow.csv", "table.csv", "large.csv", "sparse.csv", "pipe.csv"}  # never copied
    [long] = [p for p in copies if p.name[13:].startswith("rencana_")]
    assert long.name.endswith("....csv") and len(long.name.encode()) <= 140
    note = long.with_name(long.name + ".reason.txt").read_text()
    assert LONG in note and "\n" not in note.split("\nquarantined at")[0]


def test_the_webapi_answer_cut_short_falls_back_to_the_saved_one_and_the_key_is_stored_nowhere(story: Story):
    key, home = story.key, story.home
    assert any("/var/621/" in request for request in story.requests)  # it was fetched, with the key
    assert story.requests and all(f"/key/{key}/" in request for request in story.requests)
    saved = sorted(p.name for p in (story.warehouse.landing / "bps-webapi").iterdir())
    assert [name for name in saved if "_v621_" in name] == [SAVED_P0]  # nothing cut short was saved
    [poverty_line] = [name for name in saved if "_v624_" in name]  # the whole answer was saved, and read
    assert ledger(story)[f"bps-webapi/{poverty_line}"][1] == "loaded"
    assert "cut short" in story.output and key not in story.output
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()  # recorded by the instance under DAGSTER_HOME
    assert runs and all(
        run.run_config == {"loggers": {"console": {"config": {"log_level": "INFO"}}}} for run in runs
    )
    assert any(home.rglob("runs.db")) and files_holding(runs[-1].run_id.encode(), home)  # records are there
    warehouse = story.warehouse
    folders = (home, warehouse.published.parent, warehouse.landing)
    # What the refresh wrote is searched: the answer it saved, its published file, its run records.
    saved_answer = warehouse.landing / "bps-webapi" / poverty_line
    written = (saved_answer, warehouse.published, *home.rglob("runs.db"))
    assert all(path.stat().st_mtime >= story.refreshed_from for path in written)
    assert files_holding(key.encode(), *folders, changed_since=story.refreshed_from) == []


def test_a_refresh_without_a_key_after_it_finds_nothing_changed_without_reading_the_big_files(story: Story):
    assert "Nothing changed" in story.again and "Traceback" not in story.again


def test_status_prints_every_name_escaped_on_its_own_line(story: Story):
    assert "Traceback" not in story.status
    assert "\x1b" not in story.status and "two\\nlines.csv" in story.status
    lines = story.status.splitlines()
    assert any(line.endswith("two\\nlines.csv: not a file the warehouse reads") or "two\\nlines.csv" in line
               for line in lines)  # fmt: skip
    assert not any(line.startswith("lines.csv") for line in lines)  # the newline did not split the line
    assert "Ignored files (not read, on purpose): 1" in story.status
    assert "published_warehouse: running" not in story.status


def test_query_can_neither_write_a_file_nor_read_one_outside_the_warehouse(story: Story, tmp_path: Path):
    warehouse = story.warehouse
    written = tmp_path / "copied.csv"
    for sql in (
        f"copy (select 1) to '{written}'",
        "select * from read_csv('/etc/passwd')",
        f"select * from read_text('{story.outside / 'canary.csv'}')",
        "set enable_external_access = true",
    ):
        result = warehouse.cli("query", sql)
        assert result.returncode == 2, (sql, result.stdout)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
        assert "Traceback" not in result.stderr
    assert not written.exists()
    ok = warehouse.cli("query", "select count(*) from main.fct_poverty_indicator")
    assert ok.returncode == 0, ok.stderr


def test_exports_work_into_a_folder_named_with_quotes_and_no_csv_cell_is_a_live_formula(
    story: Story, tmp_path: Path
):
    folders = {}
    for file_format in ("csv", "parquet", "xlsx"):
        folders[file_format] = out = tmp_path / "o'clock" / f"export's {file_format}"
        exported = story.warehouse.cli("export", "--format", file_format, "--out", str(out))
        assert exported.returncode == 0, exported.stderr[-2000:]
        assert any(out.glob(f"*.{file_format}"))
    for path in folders["csv"].glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if cell.startswith(FORMULA_STARTS):
                        float(cell.replace(",", ""))  # a signed number, never a formula


def test_a_cli_without_a_key_never_dies_with_a_traceback_on_these_files(story: Story):
    env = cli_env(LANDING_DIR=story.warehouse.landing)
    for args in (("status",), ("query", "select 1"), ("export", "--format", "parquet", "--out", "/proc/x")):
        result = run_cli(*args, "--warehouse", str(story.warehouse.published), env=env)
        assert "Traceback" not in result.stderr, (args, result.stderr[-2000:])


def test_data_docs_show_a_failing_value_from_a_file_as_text_never_as_markup(tmp_path: Path):
    import great_expectations.expectations as gxe
    import pandas as pd

    from expectations.runner import SuiteSpec, validate_dataframe, write_data_docs

    script = "<script>alert(1)</script>"
    frame = pd.DataFrame(
        {
            "unit": ["percent", script, "persen\x1b[31m"],
            "_source_file": ["a", "b", "c"],
            "_source_row": [1, 2, 3],
        }
    )
    spec = SuiteSpec("units", [gxe.ExpectColumnValuesToBeInSet(column="unit", value_set=["percent"])])
    result = validate_dataframe(frame, spec, docs_dir=tmp_path, run="hostile")
    write_data_docs(tmp_path, "hostile")
    [failure] = result.failures
    assert failure.unexpected_count == 2 and script in failure.examples[0]  # the gate sees the text as it is
    pages = [p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.html")]
    assert any("&lt;script&gt;alert(1)" in page for page in pages)
    assert not any(script in page or "\x1b" in page for page in pages)


@contextmanager
def webapi_answering(kind: str) -> Iterator[str]:
    """A WebAPI on 127.0.0.1 that always answers the same broken way."""
    whole = json.dumps({"status": "OK", "var": []}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html>maintenance</html>" if kind == "not json" else whole
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if kind == "cut" else body)
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/api"
    finally:
        server.shutdown()
        server.server_close()


def test_the_webapi_client_says_every_transport_error_in_one_line_and_never_the_key(tmp_path: Path):
    from ingest.bps.webapi import BpsWebApiClient, WebApiError, WebApiRequest

    key = "my secret key"  # a space: the URL would be invalid if the key went into it unquoted
    request = WebApiRequest(domain="0000", variable=621)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{closed.getsockname()[1]}/v1/api"
    with webapi_answering("cut") as cut, webapi_answering("not json") as not_json:
        cases = {cut: "the answer was cut short", not_json: "not whole JSON", refused: "cannot connect",
                 "http://127.0.0.1 :1/v1/api": "no valid URL"}  # fmt: skip
        for base_url, said in cases.items():
            client = BpsWebApiClient(key, tmp_path / "saved", base_url, retries=1, sleep=lambda s: None)
            with pytest.raises(WebApiError) as raised:
                client.fetch(request)
            message = str(raised.value)
            assert said in message and "\n" not in message, message
            assert "secret" not in message and "my%20" not in message
    assert not (tmp_path / "saved").exists() or not any((tmp_path / "saved").iterdir())  # nothing saved


def test_the_quarantine_folder_keeps_the_current_version_of_a_file_only(tmp_path: Path):
    import hashlib
    from datetime import UTC, datetime

    from store.ledger import QuarantineRecord
    from store.quarantine_folder import copy_name, copy_to_quarantine_folder, prune_quarantine_folder

    landed, folder = tmp_path / "broken.csv", tmp_path / "quarantine"
    kept = []
    for version in ("first", "second"):
        landed.write_text(f"not,a,table\n{version}\n")
        sha = hashlib.sha256(landed.read_bytes()).hexdigest()
        record = QuarantineRecord("x", "broken.csv", sha, None, None, "parse", "broken", datetime.now(UTC))
        copy_to_quarantine_folder([record], folder, {"broken.csv": landed}, max_bytes=1 << 20)
        kept = [copy_name(sha, "broken.csv")]
        prune_quarantine_folder(folder, kept)
    assert sorted(p.name for p in folder.iterdir()) == [kept[0], kept[0] + ".reason.txt"]
    assert (folder / kept[0]).read_text().endswith("second\n")
    big = tmp_path / "big.csv"
    crafted.sparse_file(big, 3 << 20)
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    record = QuarantineRecord("x", "big.csv", sha, None, None, "parse", "big", datetime.now(UTC))
    lines: list[str] = []
    copies = copy_to_quarantine_folder(
        [record], folder, {"big.csv": big}, max_bytes=1 << 20, log=lines.append
    )
    assert copies == [] and "over the 1,048,576-byte budget" in lines[0]  # never a copy over the budget
