"""The dbt project as Dagster sees it, with its manifest kept current."""

from __future__ import annotations

from pathlib import Path

from dagster_dbt import DbtProject

from ingest.paths import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt"
_DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_input_mtime(project_dir: Path) -> float:
    paths = [project_dir / name for name in _DBT_INPUTS]
    files = [p for path in paths if path.exists() for p in ([path] if path.is_file() else path.rglob("*"))]
    return max(p.stat().st_mtime for p in files if p.is_file())


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    manifest = project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_input_mtime(Path(project.project_dir))


# `dagster dev` re-parses on every load; the CLI and tests parse only when the project changed.
if manifest_is_stale():
    dbt_project.preparer.prepare(dbt_project)
