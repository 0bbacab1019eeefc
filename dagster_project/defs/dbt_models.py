"""Every dbt model is an asset and every dbt test an asset check, grouped by the folder the model is in."""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from dagster_project.dbt_parse_ahead import ParseAhead, fresh_dbt_target, record_parse_state
from dagster_project.dbt_project import dbt_project
from dagster_project.resources import POOL, WarehouseResource
from dagster_project.settings import DBT_BUILD_ARGS


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
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    dbt_parse_ahead: dg.ResourceParam[ParseAhead],
) -> Iterator[Any]:
    dbt_parse_ahead.finish()  # started with the run (dagster_project.dbt_parse_ahead)
    settings = warehouse.settings
    target = fresh_dbt_target(settings.build_path)
    record_parse_state(settings.build_path)  # dbt writes its parse state for this build file first thing
    args = [*DBT_BUILD_ARGS, *settings.dbt_args()]  # the build file as a dbt variable: nothing in os.environ
    yield from dbt.cli(args, context=context, target_path=target).stream()
