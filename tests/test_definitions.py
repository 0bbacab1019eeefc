"""Structural guarantees of the Dagster and dbt projects, checked on the real definitions and manifest."""

import json

import dagster as dg

from dagster_project.dbt_project import dbt_project
from dagster_project.definitions import defs


def test_every_dbt_source_is_produced_by_an_asset_of_the_job():
    """A dbt source with no producing asset would let dbt run before (or without) its extractor."""
    graph = defs().resolve_asset_graph()
    external = [
        key.to_user_string() for key in graph.get_all_asset_keys() if not graph.get(key).is_materializable
    ]
    assert external == []


def test_publishing_depends_on_every_other_asset():
    graph = defs().resolve_asset_graph()
    publish = dg.AssetKey("published_warehouse")
    upstream = graph.get(publish).parent_keys
    downstream = {dg.AssetKey("warehouse_report")}  # reads what was published
    others = {key for key in graph.get_all_asset_keys() if key != publish} - downstream
    leaves_not_upstream = {key for key in others - upstream if not graph.get(key).child_keys}
    assert leaves_not_upstream == set()
    assert {key for key in others if key.path[0] == "raw"} <= upstream
    assert graph.get(dg.AssetKey("warehouse_report")).parent_keys == {publish}


def test_every_model_and_column_is_described():
    manifest = json.loads(dbt_project.manifest_path.read_text())
    missing = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed") or node["package_name"] != "ntt_warehouse":
            continue
        if not node["description"].strip():
            missing.append(node["name"])
        if node["resource_type"] == "model":
            missing += [f"{node['name']}.{c}" for c, col in node["columns"].items() if not col["description"]]
    assert missing == []


def test_marts_have_enforced_contracts():
    manifest = json.loads(dbt_project.manifest_path.read_text())
    marts = {n["name"]: n for n in manifest["nodes"].values() if n["name"].startswith("mart_")}
    assert set(marts) == {
        "mart_regency_poverty_profile",
        "mart_budget_vs_poverty",
        "mart_program_convergence",
        "mart_rat_targets_vs_outcomes",
        "mart_province_comparison",
        "mart_kabkota_national_rank",
    }
    assert all(node["config"]["contract"]["enforced"] for node in marts.values())


def test_every_dbt_test_is_an_asset_check():
    """A dbt test Dagster cannot attach to a model is only logged, and its failure would go unnamed."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    tests = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "test"}
    checks = {key.name for key in defs().resolve_asset_graph().asset_check_keys}
    assert tests - checks == set()


def test_runs_of_the_refresh_never_overlap_under_the_daemon(tmp_path):
    """Every step is in one pool, and the repo's instance config admits one run of a pool at a time."""
    import shutil

    from dagster_project.resources import POOL
    from store.paths import REPO_ROOT

    job = defs().resolve_job_def("refresh_warehouse")
    assert {node.name: node.pool for node in job.graph.node_defs} == {
        node.name: POOL for node in job.graph.node_defs
    }
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        pools = instance.get_concurrency_config().pool_config
        assert pools.default_pool_limit == 1 and pools.pool_granularity.value == "run"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
