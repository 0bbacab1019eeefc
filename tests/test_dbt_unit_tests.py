"""The dbt unit tests (in the models' yml) check the marts' SQL on fixed inputs. A nightly refresh leaves them
out, as dbt recommends for production runs: they test code, which only changes in development and CI."""

import json
import subprocess
from pathlib import Path

import yaml

from dagster_project.dbt_project import DBT_EXECUTABLE, DBT_PROJECT_DIR
from dagster_project.settings import dbt_args
from tests.conftest import Warehouse, cli_env


def declared_unit_tests() -> set[str]:
    names = set()
    for path in (DBT_PROJECT_DIR / "models").rglob("*.yml"):
        for unit_test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []):
            names.add(unit_test["name"])
    return names


def test_every_dbt_unit_test_passes(warehouse: Warehouse):
    target = warehouse.build.parent / "dbt-target"  # the copy's own, with its parse state
    completed = subprocess.run(
        [
            DBT_EXECUTABLE,
            "test",
            "--select",
            "test_type:unit",
            *dbt_args(warehouse.build),
            "--target-path",
            str(target),
        ],
        cwd=DBT_PROJECT_DIR,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    results = json.loads(Path(target / "run_results.json").read_text())["results"]
    ran = {r["unique_id"].rsplit(".", 1)[1]: r["status"] for r in results}
    assert declared_unit_tests() and set(ran) == declared_unit_tests()
    assert set(ran.values()) == {"pass"}


def test_the_nightly_refresh_leaves_unit_tests_out(built_warehouse: Warehouse):
    run = json.loads((built_warehouse.build.parent / "dbt-target" / "run_results.json").read_text())
    kinds = {result["unique_id"].split(".")[0] for result in run["results"]}
    assert {"model", "test", "seed"} <= kinds and "unit_test" not in kinds
