"""Resources shared by the assets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd

from ingest import duckdb_warehouse


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse: assets write the build file; `publish` replaces the published file with it."""

    path: str

    @property
    def published_path(self) -> Path:
        return Path(self.path).resolve()

    @property
    def build_path(self) -> Path:
        return duckdb_warehouse.build_path_for(self.published_path)

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

    def publish(self) -> Path:
        return duckdb_warehouse.publish(self.build_path, self.published_path)
