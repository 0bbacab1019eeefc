"""Every dbt model is an asset and every dbt test an asset check."""

import os
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from dagster_project.dbt_project import dbt_project
from dagster_project.resources import WarehouseResource
from dagster_project.settings import DBT_DUCKDB_PATH_ENV


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def ntt_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    # dbt runs as a subprocess that inherits this environment; the profile reads its path from it.
    os.environ[DBT_DUCKDB_PATH_ENV] = str(warehouse.build_path)
    yield from dbt.cli(["build"], context=context).stream()
