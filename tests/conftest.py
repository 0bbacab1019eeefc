import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingest.paths import BUNDLED_DATA_DIR

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


def parse_bundled(relative: Path):
    """The long table of one bundled BPS file, parsed by the layout its content shows."""
    from ingest.bps.formats import format_of

    path = BUNDLED_DATA_DIR / relative
    return format_of(path).parse(path)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(database: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`ntt-warehouse ARGS` in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "dagster_project.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data, for tests that doctor an input."""
    copy = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, copy, ignore=shutil.ignore_patterns("landing"))
    (copy / "landing").mkdir()
    return copy


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No leakage from the developer's environment: an empty landing folder, no DAGSTER_HOME."""
    landing = tmp_path / "landing"
    landing.mkdir()
    monkeypatch.setenv("LANDING_DIR", str(landing))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("NTT_DATA_DIR", raising=False)
    monkeypatch.delenv("NTT_WAREHOUSE", raising=False)
    yield landing


def refreshed_warehouse(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A warehouse built by a real refresh of the bundled data in a clean environment (module fixtures)."""
    from dagster_project.refresh import run_refresh

    path = tmp_path_factory.mktemp(name) / "ntt_poverty.duckdb"
    saved = {k: os.environ.get(k) for k in ("LANDING_DIR", "NTT_DATA_DIR", "DAGSTER_HOME", "NTT_WAREHOUSE")}
    os.environ["LANDING_DIR"] = str(tmp_path_factory.mktemp(f"{name}-landing"))
    for key in ("NTT_DATA_DIR", "DAGSTER_HOME"):
        os.environ.pop(key, None)
    try:
        outcome = run_refresh(warehouse=path, log_level="WARNING")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert outcome.success, outcome.report()
    return path
