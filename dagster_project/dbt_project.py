"""The dbt project as Dagster sees it, its manifest, and the dbt CLI resource.

The manifest defines the dbt assets, so it must exist before they load. Under `dagster dev`,
`dbt_project.prepare_if_dev()` parses the project as the code loads (dagster-dbt's own preparation); a
refresh from the CLI, the tests and `ntt-warehouse docs` call `prepare_manifest()` first, which parses only
when the manifest is missing or older than the project's files. A deployment without `dagster dev` prepares
it once with `dagster-dbt project prepare-and-package --file dagster_project/dbt_project.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from dagster_project.dbt_parse_ahead import DBT_EXECUTABLE, DBT_GLOBAL_FLAGS, DBT_PROJECT_DIR
from dagster_project.settings import Settings, dbt_args
from store.build_lock import refresh_lock

_DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")
# Parsing never opens the DuckDB file; the profile still needs one, and the default warehouse's is the one
# `make run` builds.
_PARSE_ARGS = ["parse", "--quiet", *dbt_args(Settings().build_path)]

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, prepare_project_cli_args=_PARSE_ARGS
)
dbt_project.prepare_if_dev()

# Pinned: the two methods below override private methods of dagster-dbt 0.29.27's DbtCliResource, for speed.
# tests/test_dbt_project.py fails when either moves or dagster-dbt changes version; check them then.
PINNED_DAGSTER_DBT = "0.29.27"


class InstalledDbtCliResource(DbtCliResource):
    """The dbt CLI of this environment, without the two dbt start-ups dagster-dbt adds to every command.

    dagster-dbt runs `dbt --version` to learn the version (2 s on this machine): the installed dbt-core's is
    it. It also opens a dbt adapter in this process (1.5 s, and a DuckDB handle on the build file) only to
    fetch row counts or column metadata, which no asset asks for.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
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


def prepare_manifest(project: DbtProject = dbt_project) -> None:
    """Parse the project into its manifest when it is missing or older than the project's files.

    Processes that start together (pytest workers, the UI and a CLI refresh) take turns: two parses writing
    one manifest.json at once leave it unreadable, and the one that waits finds it current.
    """
    if not manifest_is_stale(project):
        return
    with refresh_lock(project.manifest_path.parent, wait_seconds=600, command="dbt parse"):
        if manifest_is_stale(project):
            dbt_cli_resource().cli(_PARSE_ARGS, target_path=project.target_path).wait()
