"""The pipeline's settings: one set of values, from the environment or the command line, one way in.

The definitions bind the `warehouse` resource with `dg.EnvVar` for every variable that is set (so the
launchpad shows where each value comes from, see defs/resources.py); the CLI resolves the same variables
(plus its flags) here and passes them as run config. Nothing writes `os.environ` to configure a run.

Plain Python on purpose: a refresh with nothing to do reads its settings and stops before Dagster loads.
"""

from __future__ import annotations

import os
from pathlib import Path

from store.imports import package_closure
from store.paths import BUNDLED_DATA_DIR, REPO_ROOT
from store.publish_state import DEFAULT_WAREHOUSE_PATH

WAREHOUSE_ENV = "NTT_WAREHOUSE"
DATA_DIR_ENV = "NTT_DATA_DIR"
LANDING_DIR_ENV = "LANDING_DIR"
API_KEY_ENV = "BPS_API_KEY"
API_BASE_ENV = "BPS_API_BASE"
# The refresh's dbt command. Unit tests check the models' SQL, not the night's data: they run in `make test`
# (as dbt recommends, in development and CI), not in every refresh.
DBT_BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")
DBT_DUCKDB_PATH_ENV = "NTT_DUCKDB_PATH"  # read by dbt/profiles.yml; the dbt asset points it at the build file
DBT_PARSE_STATE = "partial_parse.msgpack"  # kept in a warehouse's dbt target folder between runs

DEFAULTS: dict[str, str] = {
    "warehouse_path": str(DEFAULT_WAREHOUSE_PATH),
    "data_dir": str(BUNDLED_DATA_DIR),
    "landing_dir": str(BUNDLED_DATA_DIR / "landing"),
    "bps_api_key": "",
}
ENV_VARS = {
    "warehouse_path": WAREHOUSE_ENV,
    "data_dir": DATA_DIR_ENV,
    "landing_dir": LANDING_DIR_ENV,
    "bps_api_key": API_KEY_ENV,
    "bps_api_base": API_BASE_ENV,  # no default here: the WebAPI client's own (ingest.bps.webapi.API_BASE)
}
_PATHS = ("warehouse_path", "data_dir", "landing_dir")


def resolved_settings(**overrides: object) -> dict[str, object]:
    """Every setting's value now: a flag given, else its environment variable, else the default.

    Paths are made absolute, so a run (and a later one comparing against it) means the same files.
    """
    values: dict[str, object] = {
        field: os.environ.get(name) or DEFAULTS[field]
        for field, name in ENV_VARS.items()
        if os.environ.get(name) or field in DEFAULTS
    }
    values.update({field: value for field, value in overrides.items() if value is not None})
    for field in _PATHS:
        values[field] = str(Path(str(values[field])).resolve())
    return values


def code_inputs() -> list[Path]:
    """The code and models a refresh runs: every module of the Dagster project and all it imports (found
    from the imports, so a new package is never left out), and the dbt project."""
    return [*package_closure("dagster_project"), REPO_ROOT / "dbt"]


def refresh_inputs(data_dir: Path, landing_dir: Path) -> list[Path]:
    """Everything a refresh reads: the data, the landing folder, and the code and models that shape it."""
    return [data_dir, landing_dir, *code_inputs()]
