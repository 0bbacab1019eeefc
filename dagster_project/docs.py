"""docs/: the dbt data dictionary (`dbt docs generate`) and the star-schema ER diagram, from the project."""

import os
import shutil
from pathlib import Path

from dagster_project.dbt_project import dbt_cli_resource, dbt_project
from dagster_project.settings import DBT_DUCKDB_PATH_ENV
from reporting.er_diagram import star_schema_markdown
from store.paths import REPO_ROOT
from store.publish_state import build_path_for

DOCS_DIR = REPO_ROOT / "docs"


def generate_docs(warehouse: Path) -> list[Path]:
    """`dbt docs generate` on the build warehouse (never the published file); the site is copied to docs/."""
    os.environ[DBT_DUCKDB_PATH_ENV] = str(build_path_for(warehouse))
    target = Path(dbt_project.project_dir) / "target" / "docs"
    dbt_cli_resource().cli(["docs", "generate"], target_path=target).wait()
    site = DOCS_DIR / "data_dictionary"
    site.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("index.html", "manifest.json", "catalog.json"):
        shutil.copyfile(target / name, site / name)
        written.append(site / name)
    diagram = DOCS_DIR / "star_schema.md"
    diagram.write_text(star_schema_markdown(dbt_project.manifest_path))
    return [*written, diagram]
