"""The resources of a refresh, each with one job.

- `warehouse`: the settings (dagster_project.settings) as Dagster sees them: fields the launchpad shows,
  bound to their environment variables, and `settings`, the same typed object the CLI builds.
- `duckdb`: dagster-duckdb's `DuckDBResource` on the warehouse's build file, the one file every step writes.
- `refresh_lock`: the warehouse's refresh lock (store.build_lock), held from the run's start to its end.
- `dbt_parse_ahead`: the `dbt parse` started as the run starts (dagster_project.dbt_parse_ahead), for the
  dbt step to wait for.
- `read_engine`: where RAT plans are read: a Dask cluster's client when a scheduler address is set
  (store.dask_cluster), else None (the loader's local process pool).

The last four follow the run's `warehouse` (launchpad config included): they are made from it at run start,
and only for runs whose steps need them. The `dbt` resource is in dagster_project.dbt_project.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import Field

from dagster_project.cluster_connection import connected_engine
from dagster_project.dbt_parse_ahead import ParseAhead, start_dbt_parse
from dagster_project.settings import API_KEY_ENV, ENV_VARS, WHOLE_NUMBERS, Settings
from ingest.bps.webapi import DEFAULT_VARIABLES
from store.build_lock import LockHolder
from store.build_lock import refresh_lock as warehouse_lock
from store.read_engines import ReadEngine

# Every step of the refresh writes the one build file: the job's steps share this concurrency pool, which the
# repo's dagster.yaml (dagster_home/) limits to one run at a time.
POOL = "ntt_warehouse"
_DEFAULTS = Settings()
_BUDGETS = sorted(WHOLE_NUMBERS - {"dbt_threads"})  # the per-file budgets' fields


class WarehouseResource(dg.ConfigurableResource):
    """Where the warehouse and its inputs are, and how a refresh runs (see dagster_project.settings)."""

    warehouse_path: str = Field(
        default=str(_DEFAULTS.warehouse_path), description="The published DuckDB file (NTT_WAREHOUSE)."
    )
    data_dir: str = Field(
        default=str(_DEFAULTS.data_dir), description="The bundled data, read on every refresh (NTT_DATA_DIR)."
    )
    landing_dir: str = Field(
        default=str(_DEFAULTS.landing_dir),
        description="Where users drop new RAT PDFs and BPS downloads (LANDING_DIR).",
    )
    bps_api_key: str = Field(
        default="",
        description="BPS WebAPI key, bound only as dg.EnvVar('BPS_API_KEY') so no run record holds it; "
        "empty: the saved responses are replayed.",
    )
    bps_api_base: str = Field(default="", description="WebAPI address (BPS_API_BASE); empty: BPS's own.")
    bps_webapi_variables: list[str] = Field(
        default=list(DEFAULT_VARIABLES),
        description=(
            "WebAPI variables fetched when a key is set, each '<domain>:<variable id>' (domain 0000 "
            "national, 5300 NTT); by default the kab/kota poverty variables. Add IPM or Gini by their id."
        ),
    )
    dbt_threads: int = Field(default=_DEFAULTS.dbt_threads, description="dbt's threads (NTT_DBT_THREADS).")
    rebuild_raw: bool = Field(
        default=False, description="Read every source file again instead of reusing what was read before."
    )
    lock_wait_seconds: float = Field(
        default=_DEFAULTS.lock_wait_seconds,
        description="How long a run waits for another refresh of the same warehouse.",
    )
    # The read phase (issue 21): where RAT plans are read, and what one file may cost there.
    dask_scheduler_address: str = Field(
        default="",
        description="A Dask scheduler to read RAT plans on (DASK_SCHEDULER_ADDRESS, tcp://host:8786); "
        "empty: the local process pool. See docs/scaling.md.",
    )
    dask_connect_timeout: int = Field(
        default=_DEFAULTS.dask_connect_timeout,
        description="Seconds to wait for the Dask scheduler before the run fails (NTT_DASK_CONNECT_TIMEOUT).",
    )
    read_seconds_per_page: int = Field(
        default=_DEFAULTS.read_seconds_per_page,
        description="Seconds a page of a PDF may take to read before it is stopped and the file "
        "quarantined (NTT_READ_SECONDS_PER_PAGE).",
    )
    read_chunk_pages: int = Field(
        default=_DEFAULTS.read_chunk_pages,
        description="A long PDF is read in ranges of this many pages by several workers "
        "(NTT_READ_CHUNK_PAGES).",
    )
    read_memory_mb: int = Field(
        default=_DEFAULTS.read_memory_mb or 0,
        description="Megabytes of resident memory a local pool process may use before it is stopped and "
        "its file quarantined; 0: no cap (NTT_READ_MEMORY_MB). Dask workers have their own --memory-limit.",
    )
    # Per-file budgets (store.budgets): a file over one is quarantined unread.
    max_file_mb: int = Field(
        default=_DEFAULTS.max_file_mb, description="Largest file read (NTT_MAX_FILE_MB)."
    )
    max_xlsx_cells: int = Field(
        default=_DEFAULTS.max_xlsx_cells,
        description="Cells of an XLSX sheet, as parsed (NTT_MAX_XLSX_CELLS).",
    )
    max_xlsx_unpacked_mb: int = Field(
        default=_DEFAULTS.max_xlsx_unpacked_mb,
        description="An XLSX's zip, unpacked (NTT_MAX_XLSX_UNPACKED_MB).",
    )
    max_xlsx_packing_ratio: int = Field(
        default=_DEFAULTS.max_xlsx_packing_ratio,
        description="An XLSX's zip packing ratio (NTT_MAX_XLSX_RATIO).",
    )
    max_pdf_pages: int = Field(
        default=_DEFAULTS.max_pdf_pages, description="Pages of a PDF (NTT_MAX_PDF_PAGES)."
    )
    max_pdf_stream_mb: int = Field(
        default=_DEFAULTS.max_pdf_stream_mb,
        description="A PDF's streams, inflated, images aside (NTT_MAX_PDF_STREAM_MB).",
    )
    max_ocr_megapixels: int = Field(
        default=_DEFAULTS.max_ocr_megapixels,
        description="Pixels of a page rendered for OCR, or of an image in a PDF (NTT_MAX_OCR_MEGAPIXELS).",
    )

    @classmethod
    def from_settings(cls, settings: Settings, environ: Mapping[str, str] | None = None) -> WarehouseResource:
        """The resource for `settings`: a value that is its environment variable's is bound as `dg.EnvVar`
        (the launchpad names the variable), and the WebAPI key only ever so."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {
            "warehouse_path": str(settings.warehouse_path),
            "data_dir": str(settings.data_dir),
            "landing_dir": str(settings.landing_dir),
            "bps_api_base": settings.bps_api_base or "",
            "dbt_threads": settings.dbt_threads,
            "rebuild_raw": settings.rebuild_raw,
            "lock_wait_seconds": settings.lock_wait_seconds,
            "dask_scheduler_address": settings.dask_scheduler_address or "",
            "dask_connect_timeout": settings.dask_connect_timeout,
            "read_seconds_per_page": settings.read_seconds_per_page,
            "read_chunk_pages": settings.read_chunk_pages,
            "read_memory_mb": settings.read_memory_mb or 0,
            **{name: getattr(settings, name) for name in _BUDGETS},
        }
        from_environment = Settings.from_environment(environ)
        for name, variable in ENV_VARS.items():
            if environ.get(variable) and getattr(settings, name) == getattr(from_environment, name):
                numeric = isinstance(values[name], int)
                values[name] = dg.EnvVar.int(variable) if numeric else dg.EnvVar(variable)
        if environ.get(API_KEY_ENV, "").strip():
            values["bps_api_key"] = dg.EnvVar(API_KEY_ENV)
        return cls(**values)

    @property
    def settings(self) -> Settings:
        return Settings(
            warehouse_path=Path(self.warehouse_path),
            data_dir=Path(self.data_dir),
            landing_dir=Path(self.landing_dir),
            bps_api_base=self.bps_api_base or None,
            dbt_threads=self.dbt_threads,
            fetch_webapi=bool(self.bps_api_key.strip()),
            rebuild_raw=self.rebuild_raw,
            lock_wait_seconds=self.lock_wait_seconds,
            dask_scheduler_address=self.dask_scheduler_address or None,
            dask_connect_timeout=self.dask_connect_timeout,
            read_seconds_per_page=self.read_seconds_per_page,
            read_chunk_pages=self.read_chunk_pages,
            read_memory_mb=self.read_memory_mb or None,
            **{name: getattr(self, name) for name in _BUDGETS},
        )


@dg.resource(
    required_resource_keys={"warehouse"},
    description="The warehouse's refresh lock, held for the whole run: a second run waits for the first.",
)
def refresh_lock(context: dg.InitResourceContext) -> Iterator[None]:
    if context.run is None:  # a sensor or a schedule looking at the settings, not a run writing the warehouse
        yield None
        return

    def waiting(holder: LockHolder | None) -> None:
        context.log.info(f"waiting for {holder.describe() if holder else 'another refresh'}")

    settings: Settings = context.resources.warehouse.settings
    with warehouse_lock(
        settings.build_path.parent, settings.lock_wait_seconds, on_wait=waiting, command="dagster run"
    ):
        yield None


class BuildFile(DuckDBResource):
    """dagster-duckdb's resource, whose connection is also closed when the block using it raises.

    Its own `get_connection` closes the connection only after a block that ended without an error; the
    traceback Dagster keeps of a failed step then keeps it open, and DuckDB refused the refresh's next
    connection to the file ("different configuration"), which hid the step's error behind its own."""

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with super().get_connection() as connection:
            try:
                yield connection
            finally:
                connection.close()  # closing twice (here, then dagster-duckdb) does nothing


@dg.resource(
    required_resource_keys={"warehouse", "refresh_lock"},
    description="Connections to the warehouse's build file (DuckDB allows one writer: this run).",
)
def build_file(context: dg.InitResourceContext) -> DuckDBResource:
    path = context.resources.warehouse.settings.build_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return BuildFile(database=str(path))


@dg.resource(
    required_resource_keys={"warehouse", "refresh_lock"},
    description="dbt parses the warehouse's project as the run starts, while the sources load.",
)
def dbt_parse_ahead(context: dg.InitResourceContext) -> Iterator[ParseAhead]:
    settings: Settings = context.resources.warehouse.settings
    parse = ParseAhead(start_dbt_parse(settings.build_path, settings.dbt_args()))
    try:
        yield parse
    finally:
        parse.stop()


@dg.resource(
    required_resource_keys={"warehouse"},
    description="Where RAT plans are read: a Dask cluster when the warehouse names a scheduler "
    "(connected and its versions checked as the run starts), else None: the local process pool.",
)
def read_engine(context: dg.InitResourceContext) -> Iterator[ReadEngine | None]:
    settings: Settings = context.resources.warehouse.settings
    if context.run is None or not settings.dask_scheduler_address:
        yield None
        return
    with connected_engine(settings) as engine:
        yield engine


def run_resources(settings: Settings, engine: ReadEngine | None = None) -> dict[str, object]:
    """The resources of a run with `settings`: the definitions' (from the environment) and the CLI's (its
    flags too) are made here alike. The CLI connects to a Dask cluster before the run and gives `engine`."""
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "duckdb": build_file,
        "refresh_lock": refresh_lock,
        "dbt_parse_ahead": dbt_parse_ahead,
        "read_engine": engine if engine is not None else read_engine,
    }
