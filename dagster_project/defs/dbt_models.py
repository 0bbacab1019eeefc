"""Every dbt model is an asset and every dbt test an asset check, grouped by the folder the model is in."""

import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from dagster_project.dbt_project import dbt_project
from dagster_project.resources import POOL, WarehouseResource
from dagster_project.settings import DBT_BUILD_ARGS, DBT_DUCKDB_PATH_ENV, DBT_PARSE_STATE


class FolderGroups(DagsterDbtTranslator):
    """Groups named after the dbt folders (staging, intermediate, marts, provenance); seeds: `reference`."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest.get("nodes", {}).get(unique_id)
        if node is None:
            return spec
        group = node["fqn"][1] if node["resource_type"] == "model" else "reference"
        return spec.replace_attributes(group_name=group)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=FolderGroups(),
    pool=POOL,
)
def ntt_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    # dbt runs as a subprocess that inherits this environment; its profile reads the database path from it.
    os.environ[DBT_DUCKDB_PATH_ENV] = str(warehouse.build_path)
    target = fresh_dbt_target(warehouse)
    yield from dbt.cli(list(DBT_BUILD_ARGS), context=context, target_path=target).stream()


def fresh_dbt_target(warehouse: WarehouseResource) -> Path:
    """The warehouse's own dbt target folder, emptied but for the partial-parse state of its last run.

    One folder per warehouse, replaced each run: dbt's artifacts do not pile up (a folder per run would
    grow by megabytes a night), and the next run of the same warehouse parses only what changed.
    """
    target = warehouse.build_path.parent / "dbt-target"
    if target.exists():
        for item in target.iterdir():
            if item.name == DBT_PARSE_STATE:
                continue
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    target.mkdir(parents=True, exist_ok=True)
    return target
