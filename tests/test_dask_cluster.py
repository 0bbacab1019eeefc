"""Reading on a real Dask cluster: the `dask_cluster` fixture (a `dask scheduler` and two `dask worker`
processes of one thread each under a 1 GiB memory limit, on 127.0.0.1).

The cluster reads exactly what the local pool reads, files are read by both workers (the load log says
which), a PDF that exhausts its worker's memory is stopped by either engine while the rest is read (and,
through the cluster, published), and a scheduler that does not answer stops the refresh in one line.
"""

import json
import os
import re
import socket
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import cloudpickle
import pandas as pd
import pytest
from distributed import Client

import tests.hostile_pdfs
from dagster_project.refresh import RefreshOutcome, refresh
from dagster_project.settings import Settings
from ingest.rat.tables import DOCUMENTS_TABLE, ROWS_TABLE
from ingest.sources import RAT_PLANS, readers_version, with_budgets
from store.contract import Source
from store.dask_cluster import ClusterEngine, ClusterError, check_versions
from store.paths import display_path
from store.read_engines import EmbeddedPool, ReadEngine
from store.read_files import FileRead, ReadBudget, read_files
from tests.conftest import Warehouse, private_copy, run_cli, sha256_of
from tests.dask_processes import LocalCluster
from tests.hostile_pdfs import memory_bomb_pdf, read_or_misbehave
from tests.pdf_fixtures import RAT_2023_PDF
from tests.plans import render_plan
from tests.scans import cached_plan_reading

# The workers have this project, not its tests: the test reader travels with its calls, by value (Dask
# pickles by reference what pickle can; a lambda it cannot, so cloudpickle takes the call whole).
cloudpickle.register_pickle_by_value(tests.hostile_pdfs)
HOSTILE = Source(
    name="hostile",
    tables=("lines",),
    claims=lambda path: True,
    read=lambda path: read_or_misbehave(path),
    empty=lambda: {"lines": pd.DataFrame({"text": []})},
    parallel=True,
)
BOMB = "RAT_raksasa_2024.pdf"
PLANS = {"RAT_Sumba_Timur_2024.pdf": "KABUPATEN SUMBA TIMUR", "RAT_Kota_Kupang_2024.pdf": "KOTA KUPANG"}
# 9-page plans: three ranges each. The OCR pixel budget (issue 23) would refuse the memory bomb before any
# worker renders it: raised here, so what is shown is a worker that runs out of memory.
READ_SETTINGS = {"read_chunk_pages": 3, "read_memory_mb": 1024, "max_ocr_megapixels": 1_000_000}
LAST_READ_BY = (
    "select read_by from provenance.load_log where asset = 'raw/rat_matrix_rows'"
    " order by logged_at desc limit 1"
)
QUARANTINED = "select check_name from provenance.quarantine where source_file like '%/' || ?"


@dataclass
class Night:
    warehouse: Warehouse
    outcome: RefreshOutcome


def settings_for(warehouse: Warehouse, **settings: object) -> Settings:
    return Settings.from_environment(
        {},
        warehouse_path=warehouse.published,
        landing_dir=warehouse.landing,
        data_dir=warehouse.data_dir,
        **READ_SETTINGS,
        **settings,
    )


def cluster_engine(cluster: LocalCluster) -> ClusterEngine:
    return ClusterEngine(cluster.address, 30, readers_version)


def readings(engine: ReadEngine, settings: Settings, paths: list[Path]) -> dict[str, FileRead]:
    """The read phase of a refresh with these settings (the plans' reader, its budgets), on `engine`."""
    source = with_budgets(RAT_PLANS, settings.budgets)
    return {paths[i].name: read for i, read in read_files(engine, source, paths, settings.read_budget())}


@dataclass
class Engines:
    """The cluster's night, and what each engine read of the same landing folder: the engines differ in
    the read phase only (what follows is the same code on the same rows: every other story proves the
    local pool's nights end to end)."""

    cluster: Night
    local: dict[str, FileRead]  # the plans and the memory bomb, on the local pool
    cluster_read: dict[str, FileRead]  # the plans, on the cluster


@pytest.fixture(scope="module")
def engines(built_warehouse: Warehouse, dask_cluster: LocalCluster, tmp_path_factory) -> Engines:
    """The same plans and memory bomb in one landing folder, refreshed into a copy of the test warehouse
    through the cluster; the same files read by the local pool as a refresh reads them, the plans by the
    cluster too."""
    copy = private_copy(built_warehouse, tmp_path_factory)
    for name, issuer in PLANS.items():
        render_plan(copy.landing / name, year=2024, issuer=issuer, signed="Kupang, Desember 2023")
    memory_bomb_pdf(copy.landing / BOMB)
    settings = settings_for(copy, dask_scheduler_address=dask_cluster.address, dask_connect_timeout=30)
    cluster = Night(copy, refresh(settings, log_level="WARNING"))
    plans = [copy.landing / name for name in PLANS]
    with closing(EmbeddedPool(memory_mb=settings.read_memory_mb)) as pool:
        local = readings(pool, settings, [*plans, copy.landing / BOMB])
    with closing(cluster_engine(dask_cluster)) as engine:
        cluster_read = readings(engine, settings, plans)
    return Engines(cluster, local, cluster_read)


def test_both_engines_quarantine_the_memory_bomb_and_publish_the_rest(engines: Engines):
    """The one proof of the memory limit on either engine: the file is a few kilobytes, its reading dies
    on both tries, and every plan landed beside it is read; the cluster's night quarantines it as
    `worker_died` and publishes the plans."""
    night = engines.cluster
    bomb_path = night.warehouse.landing / BOMB
    assert bomb_path.stat().st_size < 10_000
    shown = display_path(bomb_path)  # as the refresh and the read phase name files (repo-relative)
    assert night.outcome.success, night.outcome.report()
    [bomb] = [line for line in night.outcome.quarantined if BOMB in line]
    assert bomb.startswith(f"{shown}: ") and "every Dask worker that read it died" in bomb
    assert night.warehouse.query(QUARANTINED, BOMB) == [("worker_died",)]
    documents = night.warehouse.query("select source_file from main.dim_document")
    assert {Path(f).name for (f,) in documents} >= set(PLANS)
    [problem] = engines.local[BOMB].outcome
    assert problem.check_name == "worker_died"
    said = f"{shown}: the process reading it passed the memory limit of 1024 MB"
    assert problem.reason.startswith(said) and problem.reason.endswith("and was stopped; 2 tries")
    assert all(not isinstance(engines.local[name].outcome, list) for name in PLANS)


def test_the_cluster_reads_exactly_what_the_local_pool_reads(engines: Engines):
    for name in PLANS:
        local, cluster = engines.local[name].outcome, engines.cluster_read[name].outcome
        assert local.keys() == cluster.keys() == {ROWS_TABLE, DOCUMENTS_TABLE}
        for table in local:
            pd.testing.assert_frame_equal(local[table], cluster[table])
        assert len(local[ROWS_TABLE]) > 10
    facts = engines.cluster.warehouse.query("select count(*) from main.fct_program_budget")[0][0]
    assert facts > 0


def test_files_are_read_by_both_workers_and_the_load_log_names_them(engines: Engines, dask_cluster):
    [(read_by,)] = engines.cluster.warehouse.query(LAST_READ_BY)
    workers = {worker for by in json.loads(read_by).values() for worker in by}
    assert len(workers) >= 2 and all(re.fullmatch(r"tcp://127\.0\.0\.1:\d+", w) for w in workers), workers
    assert all(re.fullmatch(r".+/\d+", w) for name in PLANS for w in engines.local[name].workers)


def test_workers_import_only_the_engine_and_the_readers(dask_cluster: LocalCluster, whole_report):
    with closing(cluster_engine(dask_cluster)) as engine:
        [(_, read)] = list(read_files(engine, RAT_PLANS, [RAT_2023_PDF], ReadBudget(chunk_pages=3)))
        imported = engine.client.run(lambda: sorted({m.partition(".")[0] for m in sys.modules}))
    pd.testing.assert_frame_equal(read.outcome[ROWS_TABLE], whole_report[ROWS_TABLE])
    assert len(read.workers) == 2
    for modules in imported.values():
        assert {"store", "ingest"} <= set(modules)
        assert not {"dagster", "dagster_dbt", "dbt", "great_expectations", "dagster_project"} & set(modules)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_scheduler_that_does_not_answer_stops_the_refresh_in_one_line(built_warehouse: Warehouse, tmp_path):
    warehouse = built_warehouse.copy_to(tmp_path)
    render_plan(warehouse.landing / "RAT_baru.pdf", year=2025)
    before = sha256_of(warehouse.published)
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**warehouse.env(), "DASK_SCHEDULER_ADDRESS": address, "NTT_DASK_CONNECT_TIMEOUT": "3"}
    started = time.monotonic()
    result = run_cli("refresh", "--warehouse", str(warehouse.published), env=env)
    assert result.returncode == 69, result.stderr
    assert result.stderr.splitlines() == [
        f"error: the Dask scheduler at {address} cannot be reached: Timed out trying to connect to "
        f"{address} after 3 s; nothing was read or published"
    ]
    assert time.monotonic() - started < 120
    assert sha256_of(warehouse.published) == before


@pytest.fixture(scope="module")
def whole_report() -> dict[str, pd.DataFrame]:
    """read_rat_plan of the whole report in this process, kept for the next run (tests/scans.py)."""
    return cached_plan_reading(RAT_2023_PDF)


@pytest.fixture
def engine(dask_cluster: LocalCluster):
    with closing(cluster_engine(dask_cluster)) as engine:
        yield engine


def lines(folder: Path, **files: str) -> list[Path]:
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text)
    return [folder / f"{name}.txt" for name in files]


def test_a_call_that_hangs_is_stopped_its_worker_restarted_and_the_rest_read(engine, tmp_path: Path):
    paths = lines(tmp_path, a="one", stuck="hang", b="two")
    budget = ReadBudget(seconds_per_page=2, grace_seconds=1, attempts=2)
    read = {paths[i].name: r for i, r in read_files(engine, HOSTILE, paths, budget)}
    assert read["a.txt"].outcome["lines"]["text"][0] == "one"
    assert read["b.txt"].outcome["lines"]["text"][0] == "two"
    [problem] = read["stuck.txt"].outcome
    assert (problem.check_name, problem.reason) == (
        "timed_out",
        f"{paths[1]}: reading it took longer than 3 s (2 s a file, NTT_READ_SECONDS_PER_PAGE); 2 tries",
    )
    engine.client.wait_for_workers(2, timeout=120)  # the restarted worker is back


def test_calls_still_pending_are_cancelled_when_the_read_phase_ends(engine, tmp_path: Path):
    paths = lines(tmp_path, first="a line longer than the others", **{f"s{i}": "slow" for i in range(4)})
    phase = read_files(engine, HOSTILE, paths, ReadBudget())
    index, _ = next(phase)
    assert paths[index].name == "first.txt"
    phase.close()  # as a cancelled or failed run leaves it
    stop = time.monotonic() + 30
    while (
        engine.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
        and time.monotonic() < stop
    ):
        time.sleep(0.2)
    assert engine.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0
    engine.client.restart()  # the threads already sleeping are not stopped by a cancel: end them


def test_workers_running_other_code_are_one_line(dask_cluster: LocalCluster):
    with (
        Client(dask_cluster.address, timeout=30, set_as_default=False) as client,
        pytest.raises(ClusterError) as raised,
    ):
        check_versions(client, dask_cluster.address, lambda: str(os.getpid()))  # differs everywhere
    assert re.fullmatch(
        rf"the Dask cluster at {dask_cluster.address}: the worker tcp://127\.0\.0\.1:\d+ reads with other "
        r"code than this refresh \(readers \d+, here \d+\): install the same commit on every worker",
        str(raised.value),
    )
