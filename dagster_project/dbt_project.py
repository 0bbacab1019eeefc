"""The dbt project as Dagster sees it, with its manifest kept current."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from dagster_project.dbt_parse_ahead import DBT_EXECUTABLE, DBT_GLOBAL_FLAGS, DBT_PROJECT_DIR
from store.build_lock import refresh_lock

_DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class InstalledDbtCliResource(DbtCliResource):
    """The dbt CLI of this environment, whose version is the installed dbt-core's.

    dagster-dbt otherwise learns the version by running `dbt --version` before every command: a second
    Python start-up of dbt, seconds per refresh.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        # dagster-dbt opens a dbt adapter in this process only to fetch row counts or column metadata,
        # which no asset asks for: a second dbt start-up per refresh, and a DuckDB handle on the build file.
        return None


def dbt_cli_resource() -> DbtCliResource:
    return InstalledDbtCliResource(
        project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE, global_config_flags=list(DBT_GLOBAL_FLAGS)
    )


def _newest_input_mtime(project_dir: Path) -> float:
    paths = [project_dir / name for name in _DBT_INPUTS]
    files = [p for path in paths if path.exists() for p in ([path] if path.is_file() else path.rglob("*"))]
    return max(p.stat().st_mtime for p in files if p.is_file())


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    manifest = project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_input_mtime(Path(project.project_dir))


# The manifest defines the dbt assets, so it must exist before they load; parse only when the project changed.
# Processes that start together (pytest workers, the UI and a CLI refresh) take turns: two parses writing one
# manifest.json at once leave it unreadable, and the one that waits finds it current.
with refresh_lock(dbt_project.manifest_path.parent, wait_seconds=600, command="dbt parse"):
    if manifest_is_stale():
        dbt_cli_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
