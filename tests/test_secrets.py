"""The BPS WebAPI key reaches a run only through the `warehouse` resource's `dg.EnvVar` (issue 23, item 4):
a refresh with a key, recorded by a persistent Dagster instance, leaves it in no file of the instance (the
runs' records, their config, the event logs, the compute logs) and none of the warehouse folder."""

import secrets
from pathlib import Path

import dagster as dg

from tests.conftest import Warehouse, run_cli


def files_holding(text: str, *folders: Path) -> list[Path]:
    needle = text.encode()
    return [
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    ]


def test_a_refresh_with_a_webapi_key_stores_it_nowhere(warehouse: Warehouse, tmp_path: Path):
    from tests.webapi_replay import p0_response, replay_server

    key = f"secret-{secrets.token_hex(12)}"
    home = tmp_path / "dagster_home"
    home.mkdir()
    with replay_server([("json", p0_response(with_missing=False))]) as (base_url, script):
        env = {**warehouse.env(), "BPS_API_KEY": key, "BPS_API_BASE": base_url, "DAGSTER_HOME": str(home)}
        refresh = run_cli("refresh", "--warehouse", str(warehouse.published), env=env)
    assert refresh.returncode == 0, refresh.stderr[-3000:]
    assert script.requests and all(f"/key/{key}/" in request for request in script.requests)  # it was used

    with dg.DagsterInstance.from_config(str(home)) as instance:
        [run] = instance.get_runs()  # recorded by the instance under DAGSTER_HOME
        assert run.run_config == {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    assert any(home.rglob("runs.db")) and files_holding(run.run_id, home)  # the run's records are there
    assert files_holding(key, home, warehouse.published.parent, warehouse.landing) == []
    assert key not in refresh.stdout + refresh.stderr
