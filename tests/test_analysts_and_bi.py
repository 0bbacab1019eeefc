"""The warehouse as analysts and BI tools meet it: report, SQLAlchemy, older DuckDB, CLI, docs."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project.dbt_project import dbt_project
from ingest.paths import REPO_ROOT
from reporting.er_diagram import star_schema_markdown
from reporting.report import CHART_IDS
from tests.conftest import Warehouse, run_cli

MARTS = ["mart_regency_poverty_profile", "mart_budget_vs_poverty", "mart_program_convergence"]
OUTPUT = REPO_ROOT / "test-output"
OLD_DUCKDB = "1.4.4"


@pytest.fixture
def warehouse(built_warehouse: Warehouse) -> Path:
    return built_warehouse.published


def readme_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", (REPO_ROOT / "README.md").read_text(), flags=re.S)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed (`make test` installs it)")
    return found


def run_chromium(page: Path, *mode: str) -> subprocess.CompletedProcess:
    profile = page.parent / ".chromium-profile"
    return subprocess.run(
        [
            chromium(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--log-level=0",
            "--window-size=1400,2600",
            "--virtual-time-budget=20000",
            *mode,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )


def console_errors(stderr: str) -> list[str]:
    return [
        line for line in stderr.splitlines() if "CONSOLE" in line and re.search(r"error|uncaught", line, re.I)
    ]


def test_report_renders_every_chart_without_console_errors(warehouse: Path):
    page = warehouse.parent / "report" / "index.html"
    assert page.exists() and (page.parent / "plotly.min.js").exists()
    assert "cdn" not in page.read_text().lower()  # opens without internet

    dom = run_chromium(page, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console_errors(dom.stderr) == []
    for chart_id, next_id in zip(CHART_IDS, [*CHART_IDS[1:], "data-quality"], strict=True):
        section = dom.stdout[dom.stdout.index(f'id="{chart_id}"') : dom.stdout.index(f'id="{next_id}"')]
        assert "main-svg" in section, f"{chart_id} did not render"
    assert "Data quality of the last refresh" in dom.stdout

    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "report.png"
    screenshot = run_chromium(page, f"--screenshot={shot}")
    assert screenshot.returncode == 0 and shot.stat().st_size > 50_000
    print(f"report screenshot: {shot}")


def test_a_broken_page_is_caught_by_the_same_check(warehouse: Path, tmp_path: Path):
    """The console check must be able to fail: a page that throws is reported."""
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    assert console_errors(run_chromium(broken, "--dump-dom").stderr) != []


def test_sqlalchemy_with_duckdb_engine_reads_the_published_file(warehouse: Path):
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(f"duckdb:///{warehouse}", connect_args={"read_only": True})
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names(schema="main"))
        assert set(MARTS) <= tables
        for mart in MARTS:
            columns = {column["name"] for column in inspector.get_columns(mart, schema="main")}
            assert {"year", "regency_key", "bps_code"} <= columns, mart
        queries = readme_queries()
        assert len(queries) >= 6
        with engine.connect() as connection:
            for sql in queries:
                assert connection.execute(text(sql)).fetchall(), sql
    finally:
        engine.dispose()


def test_an_older_duckdb_reader_opens_the_published_file(warehouse: Path):
    """BI drivers bundle DuckDB 1.x; the published file is written in a storage format they read."""
    venv = REPO_ROOT / ".venv-compat" / f"duckdb-{OLD_DUCKDB}"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"duckdb=={OLD_DUCKDB}"], check=True)
    script = (
        "import sys, duckdb\n"
        "c = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__)\n"
        "for (t,) in c.execute(\"select table_name from information_schema.tables where table_schema='main'"
        ' order by 1").fetchall():\n'
        "    print(t, c.execute(f'select count(*) from main.{t}').fetchone()[0])\n"
    )
    completed = subprocess.run([str(python), "-c", script, str(warehouse)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == OLD_DUCKDB
    counts = dict(line.split() for line in lines[1:])
    assert all(mart in counts for mart in MARTS)
    assert int(counts["mart_budget_vs_poverty"]) == 22


def test_cli_query_and_status(warehouse: Path):
    query = run_cli(
        "query",
        "select regency_name from main.mart_budget_vs_poverty order by p0_rank limit 1",
        "--warehouse",
        str(warehouse),
    )
    assert query.returncode == 0 and "Sumba Tengah" in query.stdout
    wrong = run_cli("query", "select nope", "--warehouse", str(warehouse))
    assert wrong.returncode == 2 and wrong.stderr.startswith("error:") and "Traceback" not in wrong.stderr
    status = run_cli("status", "--warehouse", str(warehouse))
    assert status.returncode == 0, status.stderr
    assert "Last runs:" in status.stdout and "succeeded" in status.stdout
    assert "Quarantined files: 0" in status.stdout


def test_schema_diagram_in_docs_is_current():
    committed = (REPO_ROOT / "docs" / "star_schema.md").read_text()
    assert committed == star_schema_markdown(dbt_project.manifest_path), "run `ntt-warehouse docs`"
    assert (REPO_ROOT / "docs" / "data_dictionary" / "index.html").exists()
