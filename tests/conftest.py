"""Shared test fixtures.

The warehouse is built by a real refresh of the bundled data (`built_warehouse`) once for as long as the
data and the code stay the same: it is kept in .cache/test-warehouse/<digest of data and code>/, shared by
the pytest-xdist workers through a lock and by later sessions. Every test that changes things gets its
own copy of the built state (`warehouse`): the published file and the build folder with its ledger, so
its refresh reads only what the test adds.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from dagster_project.dbt_parse_ahead import DBT_PARSE_STATE, PARSED_FOR
from dagster_project.refresh import RefreshOutcome, run_refresh, sigterm_kept
from dagster_project.settings import code_inputs
from store.build_lock import refresh_lock
from store.fingerprint import fingerprint
from store.paths import BUNDLED_DATA_DIR, REPO_ROOT
from tests.dask_processes import LocalCluster, local_cluster
from tests.file_locks import locked

# The slowest test files first, by the last run's seconds (tests/file_order.py); the nights the BPS and the
# plans' stories share (tests/season.py).
pytest_plugins = ["tests.file_order", "tests.season"]

P0_FILE = Path("bps/bps-kabkota-p0-jumlah-visdati/P0_kabkota_NTT_2004-2025.csv")
POOR_COUNT_FILE = Path("bps/bps-kabkota-p0-jumlah-visdati/JumlahMiskin_ribu_kabkota_NTT_2004-2025.csv")
POVERTY_LINE_2024_FILE = Path("bps/bps-kabkota-garis-kemiskinan-ferliyanaronnan/raw_bps_csv") / (
    "Garis Kemiskinan Menurut Kabupaten_Kota, 2024.csv"
)
PROVINCE_P0_FILE = Path(
    "bps/bps-provinsi-daerah-semester-visdati/raw_layout_P0_menurut_provinsi_dan_daerah.csv"
)
P1_2021_2022_FILE = Path("bps/bps-kabkota-p1-p2-febroherdyanto/raw_bps_tabel_dinamis_html_xls") / (
    "Index Kedalaman Kemiskinan Nasional 2021-2022.xls"
)
RAT_2023_PDF = BUNDLED_DATA_DIR / "rat" / "RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf"
RAT_2023_TOTAL = 164_734_762_202
TEST_OUTPUT = REPO_ROOT / "test-output"


P0_OF = """
    select f.value from main.fct_poverty_indicator f
    join main.dim_regency r using (regency_key) join main.dim_period p using (period_key)
    join main.dim_indicator i using (indicator_key)
    where r.bps_code = ? and p.year = ? and p.semester is null and i.indicator_code = 'P0'
"""


def parse_bundled(relative: Path):
    """The observations of one bundled BPS file, read by the layout its structure shows."""
    from ingest.bps import read_bps_table

    return read_bps_table(BUNDLED_DATA_DIR / relative)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(database: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def cli_env(**variables: str | Path | None) -> dict[str, str]:
    """The environment of a CLI run: this one without the developer's warehouse settings, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if k not in {"NTT_WAREHOUSE", "NTT_DATA_DIR", "LANDING_DIR"}}
    env.pop("DAGSTER_HOME", None)
    env.pop("BPS_API_KEY", None)
    env.update({k: str(v) for k, v in variables.items() if v is not None})
    return env


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """`ntt-warehouse ARGS` in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "dagster_project.cli", *args],
        env=env if env is not None else cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_cli_refresh(warehouse: "Warehouse", *args: str) -> subprocess.Popen:
    """`ntt-warehouse refresh` of `warehouse` in its own process group (so a kill takes its dbt child too)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dagster_project.cli",
            "refresh",
            "--warehouse",
            str(warehouse.published),
            *args,
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=warehouse.env(),
    )


def kill_refresh_when(warehouse: "Warehouse", moment: str, deadline: float = 300) -> str:
    """Start a CLI refresh and SIGKILL it (and its dbt child) when its log says `moment`; its log until then.

    Waits for the log line (an event), never a fixed time."""
    refresh = start_cli_refresh(warehouse)
    lines = []
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        line = refresh.stderr.readline()
        if not line:
            break
        lines.append(line)
        if moment in line:
            os.killpg(refresh.pid, signal.SIGKILL)
            refresh.wait(timeout=30)
            assert refresh.returncode == -signal.SIGKILL
            return "".join(lines)
    refresh.kill()
    raise AssertionError(f"the refresh never said {moment!r}:\n{''.join(lines)}")


@dataclass
class Warehouse:
    """A warehouse of a test's own: the published file, its build folder, a landing folder, a data folder."""

    published: Path
    landing: Path
    data_dir: Path = field(default=BUNDLED_DATA_DIR)

    @property
    def build(self) -> Path:
        return self.published.parent / ".build" / self.published.name

    def refresh(self, **options: object) -> RefreshOutcome:
        return run_refresh(
            warehouse=self.published,
            landing_dir=self.landing,
            data_dir=self.data_dir,
            log_level=str(options.pop("log_level", "WARNING")),
            **options,
        )

    def env(self) -> dict[str, str]:
        return cli_env(LANDING_DIR=self.landing, NTT_DATA_DIR=self.data_dir)

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return run_cli(*args, "--warehouse", str(self.published), env=self.env(), timeout=timeout)

    def query(self, sql: str, *params: object) -> list[tuple]:
        return query(self.published, sql, *params)

    def query_build(self, sql: str, *params: object) -> list[tuple]:
        return query(self.build, sql, *params)

    def sha256(self) -> str:
        return sha256_of(self.published)

    def copy_to(self, folder: Path) -> "Warehouse":
        """The same built state in `folder`, with an empty landing folder of its own."""
        published = folder / "warehouse" / self.published.name
        published.parent.mkdir(parents=True)
        shutil.copy2(self.published, published)
        shutil.copytree(self.build.parent, published.parent / ".build")
        landing = folder / "landing"
        landing.mkdir()
        return Warehouse(published, landing, self.data_dir)


WAREHOUSE_CACHE = REPO_ROOT / ".cache" / "test-warehouse"
KEPT_BUILDS = 3
# What a built warehouse depends on: the bundled data (not the landing folder) and the code that builds it.
WAREHOUSE_INPUTS = [
    *(p for p in BUNDLED_DATA_DIR.iterdir() if p.is_dir() and p.name != "landing"),
    *code_inputs(),
]
_DEVELOPER_SETTINGS = (
    "NTT_WAREHOUSE",
    "NTT_DATA_DIR",
    "LANDING_DIR",
    "DAGSTER_HOME",
    "BPS_API_KEY",
    "BPS_API_BASE",
)


@pytest.fixture(scope="session", autouse=True)
def _no_developer_settings() -> None:
    """Tests see neither the developer's warehouse, landing folder and Dagster home nor a WebAPI key."""
    for name in _DEVELOPER_SETTINGS:
        os.environ.pop(name, None)


@pytest.fixture(autouse=True)
def _sigterm_as_it_was() -> Iterator[None]:
    """SIGTERM as it was, after every test. Dagster run in a test's process (a sensor evaluated, a job)
    re-points SIGTERM at SIGINT's handler when it ends: SIG_IGN in a `make test` a shell started in the
    background, and every process a later test started ignored SIGTERM (a dbt parse meant to be stopped
    ran 17-19 s to its end after tests/test_automation.py). The refresh restores it itself."""
    with sigterm_kept():
        yield


def pytest_configure(config: pytest.Config) -> None:
    """The definitions' dbt assets load from dbt's manifest: parsed here once when stale, as a refresh does,
    so test modules that load the definitions find it (the xdist workers wait for the first parse). Not in
    xdist's controller, which runs no test: importing dagster-dbt there cost 3 CPU-s before any worker
    started."""
    if config.getoption("numprocesses", None) and not hasattr(config, "workerinput"):
        return
    from dagster_project.dbt_project import prepare_manifest

    prepare_manifest()


@pytest.fixture(scope="session")
def built_warehouse(_no_developer_settings: None) -> Warehouse:
    """The bundled data refreshed once for as long as data and code are the same. Never change it."""
    key = fingerprint(WAREHOUSE_INPUTS)[0][:16]
    folder = WAREHOUSE_CACHE / key
    built = Warehouse(folder / "warehouse" / "ntt_poverty.duckdb", folder / "landing")
    with refresh_lock(WAREHOUSE_CACHE, wait_seconds=1200, command="building the test warehouse"):
        if not (folder / "built.ok").exists():
            # Builds of older code and data: keep the newest few (a session still running may use one).
            done = sorted(WAREHOUSE_CACHE.glob("*/built.ok"), key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in done[KEPT_BUILDS - 1 :]:
                shutil.rmtree(stale.parent, ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
            built.landing.mkdir(parents=True)
            outcome = built.refresh()
            assert outcome.success, outcome.report()
            (folder / "built.ok").touch()
    return built


COPIES = WAREHOUSE_CACHE / "copies"
# A copy's folder is named with a quote, as a user's may be: every story then shows that paths reach SQL and
# dbt as data (tests/test_hostile_files.py is about it).
QUOTED_FOLDER = "o'clock"
_held_copy_locks: list[int] = []  # this session's lock on its copies folder, held until the process ends
_copy_folders: list[Path] = []  # the folder chosen on the first copy


def _copies_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this test worker keeps its warehouse copy: .cache/test-warehouse/copies/<worker>/, the same
    path every run, so the dbt parse state made for it in one run is valid in the next (dbt re-parses the
    whole project, 6 to 9 CPU-s, for a new database path). A second session running beside this one (its
    worker of the same name holds the lock) keeps its copy in its own temporary folder instead."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    COPIES.mkdir(parents=True, exist_ok=True)
    lock = locked(COPIES / f"{worker}.lock", blocking=False)
    if lock is None:
        return tmp_path_factory.getbasetemp() / "warehouse-copy"
    _held_copy_locks.append(lock)
    return COPIES / worker


def private_copy(built: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A copy of the built warehouse (published file, build folder) with an empty landing folder.

    Every copy of a worker lives in the same folder and keeps the dbt parse state of the worker's last
    refresh: dbt re-parses the whole project when the database path in its profile changes, which a
    folder per test would make every refresh pay. So a worker holds one copy at a time.
    """
    if not _copy_folders:
        _copy_folders.append(_copies_folder(tmp_path_factory))
    folder = _copy_folders[0]
    dbt_target = folder / QUOTED_FOLDER / "warehouse" / ".build" / "dbt-target"
    # The parse state and the build file it was made for, together: the built warehouse's copied marker
    # names the cache's build file, and a refresh finding it would start a parse ahead (3.5 CPU-s) for
    # nothing.
    state = [dbt_target / DBT_PARSE_STATE, dbt_target / PARSED_FOR]
    kept = {path: path.read_bytes() for path in state if path.is_file()}
    shutil.rmtree(folder, ignore_errors=True)
    copy = built.copy_to(folder / QUOTED_FOLDER)
    if len(kept) == len(state):
        for path, content in kept.items():
            path.write_bytes(content)
    return copy


@pytest.fixture
def warehouse(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A private copy of the built warehouse for one test."""
    return private_copy(built_warehouse, tmp_path_factory)


Query = str | tuple  # SQL, or SQL and its parameters


@dataclass
class Night:
    """One refresh of a story and what the warehouse said right after it.

    A story lands several independent files per night and runs one refresh where separate tests would
    each run their own (a refresh costs half a minute); each test then reads the night it is about.
    """

    outcome: RefreshOutcome
    rows: dict[str, list[tuple]]

    @classmethod
    def after_refresh(
        cls, warehouse: Warehouse, published: dict[str, Query], build: dict[str, Query] | None = None
    ) -> "Night":
        """Refresh, then run each query on the published file (`published`) or the build file (`build`)."""
        return cls.with_rows(warehouse, warehouse.refresh(), published, build)

    @classmethod
    def with_rows(
        cls,
        warehouse: Warehouse,
        outcome: RefreshOutcome,
        published: dict[str, Query],
        build: dict[str, Query] | None = None,
    ) -> "Night":
        """A refresh's outcome, with each query run now on the published or the build file."""
        rows = {name: warehouse.query(*_sql_and_params(q)) for name, q in published.items()}
        rows |= {name: warehouse.query_build(*_sql_and_params(q)) for name, q in (build or {}).items()}
        return cls(outcome, rows)


def _sql_and_params(query: Query) -> tuple:
    return (query,) if isinstance(query, str) else query


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data, for tests that doctor an input."""
    copy = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, copy, ignore=shutil.ignore_patterns("landing"))
    (copy / "landing").mkdir()
    return copy


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """A Dask scheduler on 127.0.0.1 and two workers of one thread each under a 1 GiB memory limit, real
    `dask` processes, started once per test file and stopped by their pids when it ends
    (tests/dask_processes.py). Per file, not per session: an idle cluster burns about 3 CPU-s every 30 s,
    and a session-long one would keep doing so on its test worker until the suite ends."""
    with local_cluster(tmp_path_factory.mktemp("dask"), workers=2, memory_limit="1GiB") as cluster:
        yield cluster
