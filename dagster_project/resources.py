"""The warehouse resource: where everything is, the build file every asset writes, one refresh at a time."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
from dagster_duckdb import DuckDBResource
from pydantic import Field, PrivateAttr

from dagster_project.dbt_parse_ahead import finish_dbt_parse, start_dbt_parse, stop_dbt_parse
from dagster_project.settings import DEFAULTS, refresh_inputs
from ingest import duckdb_warehouse
from ingest.bps.webapi import API_BASE, DEFAULT_VARIABLES
from ingest.build_lock import refresh_lock
from ingest.fingerprint import file_sha256, fingerprint
from ingest.publish_state import build_path_for, last_publish_state

# Every step of the refresh writes the one build file: the job's steps share this concurrency pool, which the
# repo's dagster.yaml (dagster_home/) limits to one run at a time.
POOL = "ntt_warehouse"
DBT_STEP = "ntt_dbt_models"  # the dbt asset's step: a run that includes it starts dbt's parse at once


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse and its inputs. Assets write the build file; `publish` replaces the published file.

    Every run holds the warehouse's refresh lock from start to end: a second run (the schedule and the
    landing sensor, or a person's CLI refresh) waits for the first instead of failing on DuckDB's lock.
    """

    warehouse_path: str = Field(
        default=str(DEFAULTS["warehouse_path"]), description="The published DuckDB file (NTT_WAREHOUSE)."
    )
    data_dir: str = Field(
        default=str(DEFAULTS["data_dir"]),
        description="The bundled data, read on every refresh (NTT_DATA_DIR).",
    )
    landing_dir: str = Field(
        default=str(DEFAULTS["landing_dir"]),
        description="Where users drop new RAT PDFs and BPS downloads (LANDING_DIR).",
    )
    bps_api_key: str = Field(
        default="", description="BPS WebAPI key (BPS_API_KEY); empty: saved responses are replayed."
    )
    bps_api_base: str = Field(default=API_BASE, description="WebAPI address (BPS_API_BASE).")
    bps_webapi_variables: list[str] = Field(
        default=list(DEFAULT_VARIABLES),
        description=(
            "WebAPI variables fetched when a key is set, each '<domain>:<variable id>' (domain 0000 "
            "national, 5300 NTT); by default the kab/kota poverty variables. Add IPM or Gini by their id."
        ),
    )
    rebuild_raw: bool = Field(
        default=False, description="Read every source file again instead of reusing what was read before."
    )
    lock_wait_seconds: float = Field(
        default=1800, description="How long a run waits for another refresh of the same warehouse."
    )
    _held: ExitStack | None = PrivateAttr(default=None)
    _dbt_parse: subprocess.Popen | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if context.dagster_run is None:
            return  # a sensor or a schedule looking at the settings, not a run writing the warehouse

        def waiting(holder: object) -> None:
            who = holder.describe() if holder else "another refresh"
            context.log.info(f"waiting for {who}")

        self._held = ExitStack()
        self._held.enter_context(
            refresh_lock(
                self.build_path.parent, self.lock_wait_seconds, on_wait=waiting, command="dagster run"
            )
        )
        steps = context.dagster_run.step_keys_to_execute
        if steps is None or DBT_STEP in steps:
            self._dbt_parse = start_dbt_parse(self.build_path)

    def finish_dbt_parse(self) -> None:
        """Wait for the dbt parse this run started (see dagster_project.dbt_parse_ahead)."""
        finish_dbt_parse(self._dbt_parse)
        self._dbt_parse = None

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        stop_dbt_parse(self._dbt_parse)
        if self._held is not None:
            self._held.close()

    @property
    def published_path(self) -> Path:
        return Path(self.warehouse_path).resolve()

    @property
    def build_path(self) -> Path:
        return build_path_for(self.published_path)

    @property
    def data_folder(self) -> Path:
        return Path(self.data_dir).resolve()

    @property
    def landing_folder(self) -> Path:
        return Path(self.landing_dir).resolve()

    @property
    def docs_dir(self) -> Path:
        """Great Expectations Data Docs of the latest validations, beside the published file."""
        return self.published_path.parent / "data_docs"

    @property
    def quarantine_dir(self) -> Path:
        """Copies of the files a refresh set aside, each with a note saying why."""
        return self.published_path.parent / "quarantine"

    @property
    def parquet_dir(self) -> Path:
        return self.published_path.parent / "parquet"

    def input_fingerprint(self) -> tuple[str, int]:
        """(digest, files) of everything the refresh reads; equal digests build equal warehouses."""
        return fingerprint(refresh_inputs(self.data_folder, self.landing_folder))

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the build file (DuckDB allows one writer: this run)."""
        self.build_path.parent.mkdir(parents=True, exist_ok=True)
        with DuckDBResource(database=str(self.build_path)).get_connection() as connection:
            yield connection

    def read_table(self, qualified_name: str) -> pd.DataFrame:
        with self.connection() as connection:
            return connection.execute(f"select * from {qualified_name}").df()

    def row_counts(self) -> dict[str, int]:
        return duckdb_warehouse.relation_row_counts(
            self.build_path, ("raw", "staging", "intermediate", "main", "provenance")
        )

    def content_digest(self) -> str:
        return duckdb_warehouse.content_digest(self.build_path)

    def published_content_digest(self) -> str | None:
        """The content digest of the file readers have now, if it is still the one the last publish wrote."""
        state = last_publish_state(self.published_path)
        if state is None or not self.published_path.exists():
            return None
        if file_sha256(self.published_path) != state.get("published_sha256"):
            return None
        return state.get("content_digest")

    @property
    def exports_dir(self) -> Path:
        """The dated Excel workbooks of the published file, one per day (written with the report)."""
        return self.published_path.parent / "exports"

    def publish(self) -> Path:
        """Replace the published file with the build, then refresh the Parquet exports beside it."""
        path = duckdb_warehouse.publish(self.build_path, self.published_path)
        duckdb_warehouse.export_parquet(self.published_path, self.parquet_dir)
        return path
