"""docs/: the dbt data dictionary (`dbt docs generate`) and the star-schema ER diagram, from the project."""

import shutil
from pathlib import Path

from dagster_project.dbt_project import dbt_cli_resource, dbt_project, prepare_manifest
from dagster_project.settings import Settings
from reporting.er_diagram import star_schema_markdown
from store.paths import REPO_ROOT

DOCS_DIR = REPO_ROOT / "docs"


def generate_docs(settings: Settings) -> list[Path]:
    """`dbt docs generate` on the build warehouse (never the published file); the site is copied to docs/.

    FileNotFoundError when there is no build file yet: the data dictionary describes its tables."""
    if not settings.build_path.exists():  # before dbt parses or starts: one line, not dbt's traceback
        raise FileNotFoundError(f"no build file at {settings.build_path}; run `ntt-warehouse refresh` first")
    prepare_manifest()
    target = Path(dbt_project.project_dir) / "target" / "docs"
    dbt_cli_resource().cli(["docs", "generate", *settings.dbt_args()], target_path=target).wait()
    site = DOCS_DIR / "data_dictionary"
    site.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("index.html", "manifest.json", "catalog.json"):
        shutil.copyfile(target / name, site / name)
        written.append(site / name)
    diagram = DOCS_DIR / "star_schema.md"
    diagram.write_text(star_schema_markdown(dbt_project.manifest_path))
    return [*written, diagram]
