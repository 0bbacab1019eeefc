"""Settings read from the environment, with the defaults a fresh clone needs."""

from __future__ import annotations

import os
from pathlib import Path

from ingest.duckdb_warehouse import DEFAULT_WAREHOUSE_PATH
from ingest.paths import BUNDLED_DATA_DIR, REPO_ROOT

WAREHOUSE_ENV = "NTT_WAREHOUSE"
LANDING_DIR_ENV = "LANDING_DIR"
DATA_DIR_ENV = "NTT_DATA_DIR"
DBT_DUCKDB_PATH_ENV = "NTT_DUCKDB_PATH"


def warehouse_path() -> Path:
    """The published warehouse file (NTT_WAREHOUSE, default warehouse/ntt_poverty.duckdb)."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE_PATH).resolve()


def bundled_data_dir() -> Path:
    """The data shipped with the repo (NTT_DATA_DIR, default data/); tests point it at a doctored copy."""
    return Path(os.environ.get(DATA_DIR_ENV) or BUNDLED_DATA_DIR).resolve()


def landing_dir() -> Path:
    """Where users drop new RAT PDFs and BPS downloads (LANDING_DIR, default data/landing)."""
    return Path(os.environ.get(LANDING_DIR_ENV) or BUNDLED_DATA_DIR / "landing").resolve()


def refresh_inputs() -> list[Path]:
    """Everything a refresh reads: the data, the landing folder, and the code and models that shape it."""
    code = [REPO_ROOT / name for name in ("ingest", "expectations", "dagster_project", "dbt")]
    return [bundled_data_dir(), landing_dir(), *code]
