"""One refresh a warehouse may meet in the field, and what it must leave behind: its folder is named with a
quote (o'clock/), the BPS WebAPI is fetched with a key, and the runs are recorded by a persistent Dagster
instance (DAGSTER_HOME).

- Paths go into DuckDB's SQL as parameters: the refresh publishes, and the exports work (issue 23, item 7).
- The key reaches the run only through the `warehouse` resource's `dg.EnvVar` (issue 23, item 4): no file
  of the instance (the runs' records and config, the event logs, the compute logs), of the warehouse folder
  or of the landing folder holds it.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import Warehouse, run_cli


@dataclass
class Story:
    warehouse: Warehouse
    home: Path
    key: str
    refresh_output: str
    requests: list[str]


@pytest.fixture(scope="module")
def story(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Story:
    from tests.webapi_replay import p0_response, replay_server

    folder = tmp_path_factory.mktemp("field")
    warehouse = built_warehouse.copy_to(folder / "o'clock")
    home = folder / "dagster_home"
    home.mkdir()
    key = f"secret-{secrets.token_hex(12)}"
    with replay_server([("json", p0_response(with_missing=False))]) as (base_url, script):
        env = {**warehouse.env(), "BPS_API_KEY": key, "BPS_API_BASE": base_url, "DAGSTER_HOME": str(home)}
        refresh = run_cli("refresh", "--warehouse", str(warehouse.published), env=env)
    assert refresh.returncode == 0, refresh.stderr[-3000:]
    return Story(warehouse, home, key, refresh.stdout + refresh.stderr, list(script.requests))


def test_a_warehouse_in_a_folder_named_with_a_quote_publishes_and_exports(story: Story, tmp_path: Path):
    warehouse = story.warehouse
    assert "Published" in story.refresh_output
    assert warehouse.query("select count(*) from main.fct_poverty_indicator")[0][0] > 0
    assert any((warehouse.published.parent / "parquet").glob("*.parquet"))
    for file_format in ("csv", "parquet", "xlsx"):
        out = tmp_path / "o'clock" / f"export's {file_format}"
        export = warehouse.cli("export", "--format", file_format, "--out", str(out))
        assert export.returncode == 0, export.stderr[-2000:]
        assert any(out.glob(f"*.{file_format}"))


def files_holding(text: str, *folders: Path) -> list[Path]:
    needle = text.encode()
    return [p for folder in folders for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_refresh_with_a_webapi_key_stores_it_nowhere(story: Story):
    key, home = story.key, story.home
    assert story.requests and all(f"/key/{key}/" in request for request in story.requests)  # it was used
    with dg.DagsterInstance.from_config(str(home)) as instance:
        [run] = instance.get_runs()  # recorded by the instance under DAGSTER_HOME
        assert run.run_config == {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    assert any(home.rglob("runs.db")) and files_holding(run.run_id, home)  # the run's records are there
    warehouse = story.warehouse
    assert files_holding(key, home, warehouse.published.parent, warehouse.landing) == []
    assert key not in story.refresh_output
