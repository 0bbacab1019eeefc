"""Resources shared by the assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd

from ingest import duckdb_warehouse
from ingest.fingerprint import file_sha256


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse: assets write the build file; `publish` replaces the published file with it."""

    path: str

    @property
    def published_path(self) -> Path:
        return Path(self.path).resolve()

    @property
    def build_path(self) -> Path:
        return duckdb_warehouse.build_path_for(self.published_path)

    @property
    def docs_dir(self) -> Path:
        """Great Expectations Data Docs of the latest validations, beside the published file."""
        return self.published_path.parent / "data_docs"

    @property
    def quarantine_dir(self) -> Path:
        """Copies of the files a refresh set aside, each with a note saying why."""
        return self.published_path.parent / "quarantine"

    def replace_raw_table(self, table_name: str, table: pd.DataFrame) -> int:
        return duckdb_warehouse.replace_raw_table(self.build_path, table_name, table)

    def read_table_if_exists(self, qualified_name: str) -> pd.DataFrame | None:
        return duckdb_warehouse.read_table_if_exists(self.build_path, qualified_name)

    def read_table(self, qualified_name: str) -> pd.DataFrame:
        return duckdb_warehouse.read_table(self.build_path, qualified_name)

    def replace_quarantine(self, source: str, records: pd.DataFrame) -> int:
        return duckdb_warehouse.replace_quarantine(self.build_path, source, records)

    def read_quarantine(self, source: str) -> pd.DataFrame | None:
        return duckdb_warehouse.read_quarantine(self.build_path, source)

    def append_rows(self, qualified_name: str, rows: pd.DataFrame) -> int:
        return duckdb_warehouse.append_rows(self.build_path, qualified_name, rows)

    def row_counts(self) -> dict[str, int]:
        return duckdb_warehouse.relation_row_counts(
            self.build_path, ("raw", "staging", "intermediate", "main")
        )

    def content_digest(self) -> str:
        return duckdb_warehouse.content_digest(self.build_path)

    def published_content_digest(self) -> str | None:
        """The content digest of the file readers have now, if it is still the one the last publish wrote."""
        state = duckdb_warehouse.last_publish_state(self.published_path)
        if state is None or not self.published_path.exists():
            return None
        if file_sha256(self.published_path) != state.get("published_sha256"):
            return None
        return state.get("content_digest")

    def publish(self) -> Path:
        """Replace the published file with the build, then refresh the Parquet exports beside it."""
        path = duckdb_warehouse.publish(self.build_path, self.published_path)
        duckdb_warehouse.export_parquet(self.build_path, self.parquet_dir)
        return path

    @property
    def parquet_dir(self) -> Path:
        return self.published_path.parent / "parquet"
