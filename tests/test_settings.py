"""One settings object (dagster_project.settings), the resources made from it, and dbt's side of it."""

import inspect
import subprocess
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import dagster as dg
import pytest
from dagster_dbt import DbtCliResource

from dagster_project.dbt_parse_ahead import DBT_EXECUTABLE, DBT_PROJECT_DIR
from dagster_project.dbt_project import PINNED_DAGSTER_DBT, InstalledDbtCliResource
from dagster_project.resources import WarehouseResource
from dagster_project.settings import DBT_BUILD_FILE_VAR, ENV_VARS, Settings, SettingsError
from store.paths import BUNDLED_DATA_DIR, REPO_ROOT


def test_a_value_given_wins_over_its_variable_which_wins_over_the_default(tmp_path: Path):
    environ = {"NTT_WAREHOUSE": str(tmp_path / "env.duckdb"), "NTT_DBT_THREADS": "3", "BPS_API_KEY": "k"}
    from_environment = Settings.from_environment(environ)
    assert from_environment.warehouse_path == tmp_path / "env.duckdb" and from_environment.dbt_threads == 3
    assert from_environment.landing_dir == BUNDLED_DATA_DIR / "landing" and from_environment.fetch_webapi
    given = Settings.from_environment(environ, warehouse_path=tmp_path / "flag.duckdb", data_dir=None)
    assert given.warehouse_path == tmp_path / "flag.duckdb" and given.data_dir == BUNDLED_DATA_DIR
    assert given.build_path == tmp_path / ".build" / "flag.duckdb"
    assert Settings.from_environment({}) == Settings()
    assert not hasattr(given, "bps_api_key")  # the key stays in the environment


def test_paths_are_absolute_and_a_bad_value_is_one_line_naming_its_variable(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Settings.from_environment({"LANDING_DIR": "drop"}).landing_dir == tmp_path / "drop"
    with pytest.raises(
        SettingsError, match=r"^NTT_DBT_THREADS must be a whole number of threads, not 'many'$"
    ):
        Settings.from_environment({"NTT_DBT_THREADS": "many"})


def test_every_variable_is_in_the_readme_and_read_only_by_the_settings():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") :]
    for variable in [*ENV_VARS.values(), "BPS_API_KEY", "DAGSTER_HOME"]:
        assert f"| `{variable}` |" in table, variable
    code = [p for package in ("store", "ingest", "expectations", "dagster_project", "reporting")
            for p in (REPO_ROOT / package).rglob("*.py")]  # fmt: skip
    readers = {
        p.relative_to(REPO_ROOT).as_posix()
        for p in code
        for variable in [*ENV_VARS.values(), "BPS_API_KEY", "DAGSTER_HOME"]
        if f'"{variable}"' in p.read_text(encoding="utf-8")
    }
    assert readers == {"dagster_project/settings.py"}


def test_the_resource_binds_what_comes_from_the_environment_and_the_key_only_as_an_env_var(tmp_path: Path):
    environ = {"LANDING_DIR": str(tmp_path / "landing"), "BPS_API_KEY": "secret"}
    settings = Settings.from_environment(environ, warehouse_path=tmp_path / "w.duckdb")
    resource = WarehouseResource.from_settings(settings, environ)
    assert resource.landing_dir == dg.EnvVar("LANDING_DIR")  # the launchpad names the variable
    assert resource.warehouse_path == str(tmp_path / "w.duckdb")  # given: a value
    assert resource.bps_api_key == dg.EnvVar("BPS_API_KEY")
    assert WarehouseResource.from_settings(Settings(), {}).bps_api_key == ""
    plain = WarehouseResource.from_settings(settings, {})
    assert plain.settings == Settings.from_environment(
        {}, warehouse_path=tmp_path / "w.duckdb", landing_dir=tmp_path / "landing"
    )


def test_dbt_without_the_build_file_stops_and_names_the_variable(tmp_path: Path):
    parse = subprocess.run(
        [DBT_EXECUTABLE, "parse", "--target-path", str(tmp_path / "target")],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert parse.returncode != 0
    assert f"Required var '{DBT_BUILD_FILE_VAR}' not found" in parse.stdout + parse.stderr


def test_the_private_dagster_dbt_methods_overridden_for_speed_are_where_they_were():
    """InstalledDbtCliResource overrides two private methods of DbtCliResource (2 s and 1.5 s of every dbt
    command): this fails when dagster-dbt changes, so the overrides are checked again."""
    assert version("dagster-dbt") == PINNED_DAGSTER_DBT
    assert isinstance(DbtCliResource.__dict__["_cli_version"], cached_property)
    assert list(inspect.signature(DbtCliResource._initialize_dbt_core_adapter).parameters) == ["self", "args"]
    cli = inspect.getsource(DbtCliResource.cli)
    assert "self._cli_version.major < 2" in cli and "self._initialize_dbt_core_adapter(args)" in cli
    assert InstalledDbtCliResource._cli_version.func.__qualname__.startswith("InstalledDbtCliResource")
