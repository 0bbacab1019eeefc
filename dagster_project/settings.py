"""The pipeline's settings: one typed object (`Settings`), built once per run, handed to the resources.

Where a value comes from, the first that has one:

1. this run: a flag of `ntt-warehouse refresh` (`--warehouse`, `--rebuild`, `--wait`), or the launchpad's
   config of the `warehouse` resource in the Dagster UI;
2. its environment variable (`ENV_VARS`, the README's Configuration table: the only place variables are
   read);
3. the default.

The CLI builds the object with `Settings.from_environment(**flags)` and runs the job with the resources made
from it; the definitions (defs/resources.py) bind the `warehouse` resource with `dg.EnvVar` for every
variable that is set, so the launchpad shows where each value comes from, and the resource gives the same
object back (`WarehouseResource.settings`). Nothing writes `os.environ`. dbt gets the build file as
`--vars` (`dbt_args`): dbt/profiles.yml has no default path, so dbt run by hand without it stops instead
of writing the published file.

The WebAPI key is not a field here: it stays in the environment and reaches the run only through the
`warehouse` resource's `dg.EnvVar("BPS_API_KEY")`, so no run config, run record or launchpad shows it.

Plain Python on purpose: a refresh with nothing to do reads its settings and stops before Dagster loads.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from store.budgets import DEFAULT_BUDGETS, MB, FileBudgets
from store.imports import package_closure
from store.paths import BUNDLED_DATA_DIR, REPO_ROOT
from store.publish_state import DEFAULT_WAREHOUSE_PATH, build_path_for
from store.read_files import ReadBudget

# Settings field -> the environment variable it is read from.
ENV_VARS = {
    "warehouse_path": "NTT_WAREHOUSE",
    "data_dir": "NTT_DATA_DIR",
    "landing_dir": "LANDING_DIR",
    "bps_api_base": "BPS_API_BASE",
    "dbt_threads": "NTT_DBT_THREADS",
    # The read phase (issue 21, docs/scaling.md).
    "dask_scheduler_address": "DASK_SCHEDULER_ADDRESS",
    "dask_connect_timeout": "NTT_DASK_CONNECT_TIMEOUT",
    "read_seconds_per_page": "NTT_READ_SECONDS_PER_PAGE",
    "read_chunk_pages": "NTT_READ_CHUNK_PAGES",
    "read_memory_mb": "NTT_READ_MEMORY_MB",
    # Per-file budgets (issue 23): what a file may cost; see store.budgets for each.
    "max_file_mb": "NTT_MAX_FILE_MB",
    "max_xlsx_cells": "NTT_MAX_XLSX_CELLS",
    "max_xlsx_unpacked_mb": "NTT_MAX_XLSX_UNPACKED_MB",
    "max_xlsx_packing_ratio": "NTT_MAX_XLSX_RATIO",
    "max_pdf_pages": "NTT_MAX_PDF_PAGES",
    "max_pdf_stream_mb": "NTT_MAX_PDF_STREAM_MB",
    "max_ocr_megapixels": "NTT_MAX_OCR_MEGAPIXELS",
}
# Settings read as whole numbers (the budgets and the threads).
WHOLE_NUMBERS = {"dbt_threads", *(name for name in ENV_VARS if name.startswith("max_"))}
API_KEY_ENV = "BPS_API_KEY"  # set: the WebAPI is fetched; the key itself never leaves the environment
DAGSTER_HOME_ENV = "DAGSTER_HOME"  # Dagster's own: runs are recorded in a persistent instance there
# The refresh's dbt command. Unit tests check the models' SQL, not the night's data: they run in `make test`
# (as dbt recommends, in development and CI), not in every refresh.
DBT_BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")
DBT_BUILD_FILE_VAR = "ntt_build_file"  # the dbt variable dbt/profiles.yml takes the DuckDB file from


class SettingsError(ValueError):
    """A setting whose value cannot be used; the message names the variable and the value."""


@dataclass(frozen=True)
class Settings:
    """Every setting of a refresh. Paths are absolute, so a run (and a later one comparing against it)
    means the same files."""

    warehouse_path: Path = DEFAULT_WAREHOUSE_PATH  # the published DuckDB file
    data_dir: Path = BUNDLED_DATA_DIR  # the bundled data, read on every refresh
    landing_dir: Path = BUNDLED_DATA_DIR / "landing"  # where users drop new files
    bps_api_base: str | None = None  # the WebAPI's address; None: the client's (ingest.bps.webapi.API_BASE)
    dbt_threads: int = 2  # dbt's threads for the models
    fetch_webapi: bool = False  # a WebAPI key is set (BPS_API_KEY): fetch, else replay the saved responses
    rebuild_raw: bool = False  # read every source file again instead of reusing what was read before
    lock_wait_seconds: float = 1800.0  # how long a run waits for another refresh of the same warehouse
    dagster_home: Path | None = None  # a persistent Dagster instance; None: each CLI run its own
    # The read phase (issue 21, store.read_files, docs/scaling.md): where RAT plans are read, and what one
    # file may cost there.
    dask_scheduler_address: str | None = None  # a Dask scheduler (tcp://host:8786); None: the local pool
    dask_connect_timeout: int = 10  # seconds to wait for the scheduler before the refresh fails
    read_seconds_per_page: int = 60  # a page of a PDF may take, else it is stopped and quarantined
    read_chunk_pages: int = 10  # a long PDF is read in ranges of this many pages, by several workers
    read_memory_mb: int | None = 2048  # resident memory a local pool process may use; None or 0: no cap
    # Per-file budgets (store.budgets says what each means and why its default): a file over one is
    # quarantined fast, unread. Whole numbers, so the launchpad and the environment give them alike.
    max_file_mb: int = DEFAULT_BUDGETS.file_bytes // MB
    max_xlsx_cells: int = DEFAULT_BUDGETS.xlsx_cells
    max_xlsx_unpacked_mb: int = DEFAULT_BUDGETS.xlsx_unpacked_bytes // MB
    max_xlsx_packing_ratio: int = int(DEFAULT_BUDGETS.xlsx_packing_ratio)
    max_pdf_pages: int = DEFAULT_BUDGETS.pdf_pages
    max_pdf_stream_mb: int = DEFAULT_BUDGETS.pdf_stream_bytes // MB
    max_ocr_megapixels: int = DEFAULT_BUDGETS.ocr_page_pixels // 1_000_000

    def __post_init__(self) -> None:
        for name in ("warehouse_path", "data_dir", "landing_dir", "dagster_home"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(value).resolve())
        if self.dbt_threads < 1:
            raise SettingsError(f"dbt threads must be 1 or more, not {self.dbt_threads}")
        for name in ("dask_connect_timeout", "read_seconds_per_page", "read_chunk_pages"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{ENV_VARS[name]} must be more than 0, not {getattr(self, name)}")
        for name in WHOLE_NUMBERS - {"dbt_threads"}:
            if getattr(self, name) < 1:
                raise SettingsError(f"{ENV_VARS[name]} must be 1 or more, not {getattr(self, name)}")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **given: object) -> Settings:
        """The settings now: a value `given` (not None) wins over its environment variable, which wins
        over the default."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {
            name: _typed(name, environ[variable])
            for name, variable in ENV_VARS.items()
            if environ.get(variable)
        }
        values["fetch_webapi"] = bool(environ.get(API_KEY_ENV, "").strip())
        if environ.get(DAGSTER_HOME_ENV):
            values["dagster_home"] = Path(environ[DAGSTER_HOME_ENV])
        unknown = set(given) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"not settings: {', '.join(sorted(unknown))}")
        values.update({name: value for name, value in given.items() if value is not None})
        return cls(**values)

    @property
    def budgets(self) -> FileBudgets:
        """The per-file budgets, as the loader and the readers take them."""
        return FileBudgets(
            file_bytes=self.max_file_mb * MB,
            xlsx_cells=self.max_xlsx_cells,
            xlsx_unpacked_bytes=self.max_xlsx_unpacked_mb * MB,
            xlsx_packing_ratio=float(self.max_xlsx_packing_ratio),
            pdf_pages=self.max_pdf_pages,
            pdf_stream_bytes=self.max_pdf_stream_mb * MB,
            ocr_page_pixels=self.max_ocr_megapixels * 1_000_000,
        )

    @property
    def build_path(self) -> Path:
        """The file refreshes build into, beside the published one (readers never open it)."""
        return build_path_for(self.warehouse_path)

    @property
    def docs_dir(self) -> Path:
        """Great Expectations Data Docs of the latest validations, beside the published file."""
        return self.warehouse_path.parent / "data_docs"

    @property
    def quarantine_dir(self) -> Path:
        """Copies of the files a refresh set aside, each with a note saying why."""
        return self.warehouse_path.parent / "quarantine"

    @property
    def parquet_dir(self) -> Path:
        return self.warehouse_path.parent / "parquet"

    @property
    def exports_dir(self) -> Path:
        """The dated Excel workbooks of the published file, one per day (written with the report)."""
        return self.warehouse_path.parent / "exports"

    @property
    def report_dir(self) -> Path:
        return self.warehouse_path.parent / "report"

    def read_budget(self) -> ReadBudget:
        """What one file may cost the read phase (store.read_files)."""
        return ReadBudget(
            seconds_per_page=self.read_seconds_per_page,
            chunk_pages=self.read_chunk_pages,
            memory_mb=self.read_memory_mb or None,
        )

    def dbt_args(self) -> list[str]:
        """What every dbt command of this warehouse is given: its build file and its threads."""
        return dbt_args(self.build_path, self.dbt_threads)


def dbt_args(build_path: Path, threads: int = Settings.dbt_threads) -> list[str]:
    """dbt's arguments for a warehouse: its build file (the variable dbt/profiles.yml reads), its threads."""
    return ["--vars", json.dumps({DBT_BUILD_FILE_VAR: str(build_path)}), "--threads", str(threads)]


_NUMBERS = {
    "dbt_threads": (int, "a whole number of threads"),
    "dask_connect_timeout": (int, "a whole number of seconds"),
    "read_seconds_per_page": (int, "a whole number of seconds"),
    "read_chunk_pages": (int, "a whole number of pages"),
    "read_memory_mb": (int, "a whole number of megabytes"),
    **{name: (int, "a whole number of its unit") for name in WHOLE_NUMBERS - {"dbt_threads"}},
}


def _typed(name: str, text: str) -> object:
    if name not in _NUMBERS:
        return text
    kind, said = _NUMBERS[name]
    try:
        return kind(text)
    except ValueError:
        raise SettingsError(f"{ENV_VARS[name]} must be {said}, not {text!r}") from None


def code_inputs() -> list[Path]:
    """The code and models a refresh runs: every module of the Dagster project and all it imports (found
    from the imports, so a new package is never left out), and the dbt project."""
    return [*package_closure("dagster_project"), REPO_ROOT / "dbt"]


def refresh_inputs(data_dir: Path, landing_dir: Path) -> list[Path]:
    """Everything a refresh reads: the data, the landing folder, and the code and models that shape it."""
    return [data_dir, landing_dir, *code_inputs()]
