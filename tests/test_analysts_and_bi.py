"""The warehouse as analysts and BI tools meet it: report, SQLAlchemy, older DuckDB, CLI, docs."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dagster_project.dbt_project import dbt_project
from ingest.releases.extreme_poverty import read_poverty_release_table
from reporting.er_diagram import star_schema_markdown
from reporting.i18n import text
from reporting.report import CHART_IDS, MAP_IDS
from store.paths import REPO_ROOT
from tests.conftest import Warehouse, run_cli
from tests.documented_examples import documented_queries, guide_questions, readme_questions
from tests.tool_profiles import tool_profile

MARTS = [
    "mart_regency_poverty_profile",
    "mart_budget_vs_poverty",
    "mart_program_convergence",
    "mart_rat_targets_vs_outcomes",
]
NATIONAL_MARTS = ["mart_province_comparison", "mart_kabkota_national_rank"]  # keyed by area_key
OUTPUT = REPO_ROOT / "test-output"
OLD_DUCKDB = "1.4.4"


@pytest.fixture
def warehouse(built_warehouse: Warehouse) -> Path:
    return built_warehouse.published


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Chromium is not installed: run `make chromium` (make test does)")
    return found


def run_chromium(page: Path, *mode: str, fragment: str = "") -> subprocess.CompletedProcess:
    """Headless Chromium on a profile of its own, kept in .cache/tool-profiles/chromium/ (its
    configuration and caches too, not the home folder); one that dies before printing anything is started
    once more on a new profile."""
    with tool_profile("chromium") as slot:
        command = [
            chromium(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={slot.profile}",
            "--enable-logging=stderr",
            "--log-level=0",
            "--window-size=1400,2600",
            "--virtual-time-budget=20000",
            *mode,
            page.as_uri() + fragment,
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=180, env=slot.env)
        if completed.returncode != 0 and not completed.stdout:
            slot.reset()
            completed = subprocess.run(command, capture_output=True, text=True, timeout=180, env=slot.env)
    return completed


def console_errors(stderr: str) -> list[str]:
    return [
        line for line in stderr.splitlines() if "CONSOLE" in line and re.search(r"error|uncaught", line, re.I)
    ]


def language_block(dom: str, lang: str) -> str:
    start = dom.index(f'<div data-lang-block="{lang}"')
    end = dom.find("<div data-lang-block=", start + 1)
    return dom[start : end if end > 0 else len(dom)]


def chart_section(block: str, chart_id: str) -> str:
    """From a chart's element to the next chart's (or the data-quality section)."""
    start = block.index(f'id="{chart_id}"')
    ends = [block.find(f'id="{other}-', start + 1) for other in [*CHART_IDS, "data-quality"]]
    return block[start : min([end for end in ends if end > start], default=len(block))]


def map_regions(section: str) -> list[str]:
    """Fill colours of the data layer's areas (the last choropleth trace; the first is the grey base)."""
    data_layer = section[section.rindex('<g class="trace choropleth">') :]
    return re.findall(r'<path class="choroplethlocation" fill="([^"]+)"', data_layer)


def chart_titles(block: str) -> list[str]:
    return re.findall(r'class="gtitle"[^>]*>([^<]*)<', block)


def regions_with_figures(map_id: str) -> int:
    """Areas a map colours in the year it opens on (the latest): all 22, but for extreme poverty only the
    kab/kota the releases give a rate for (the others stay on the grey base layer)."""
    if map_id != "map-extreme":
        return 22
    figures = read_poverty_release_table(REPO_ROOT / "data/releases/ntt_extreme_poverty_from_releases.csv")
    rates = figures[(figures.indicator == "P0_EXTREME") & (figures.area_level == "kabkota")]
    return int((rates.year == rates.year.max()).sum())


def check_rendered(dom: subprocess.CompletedProcess, lang: str) -> str:
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console_errors(dom.stderr) == []
    assert re.search(rf'<html lang="{lang}"', dom.stdout), "page is not in the chosen language"
    block = language_block(dom.stdout, lang)
    assert " hidden" not in block[: block.index(">")]
    for other in {"id", "en"} - {lang}:
        other_block = language_block(dom.stdout, other)
        assert " hidden" in other_block[: other_block.index(">")]
        assert "main-svg" not in other_block  # drawn only when first shown
    for chart_id in CHART_IDS:
        section = chart_section(block, f"{chart_id}-{lang}")
        assert "main-svg" in section or 'class="note"' in section, f"{chart_id}-{lang} did not render"
    for map_id in MAP_IDS:
        section = chart_section(block, f"{map_id}-{lang}")
        if "main-svg" in section:
            fills = map_regions(section)
            assert len(fills) == regions_with_figures(map_id), f"{map_id}-{lang}: {len(fills)} regions"
            assert len(set(fills)) > 5, f"{map_id}-{lang} is not coloured by its values"
    assert len(map_regions(chart_section(block, f"map-p0-{lang}"))) == 22
    return block


@pytest.fixture(scope="module")
def report_page(built_warehouse: Warehouse) -> Path:
    return built_warehouse.published.parent / "report" / "index.html"


SCREENSHOT = OUTPUT / "report-map.png"  # the top of the page: summary and the P0 map


@pytest.fixture(scope="module")
def indonesian_dom(report_page: Path) -> subprocess.CompletedProcess:
    """The report as Chromium draws it on opening (in Indonesian), drawn once for the tests that read it;
    the same start takes the screenshot."""
    OUTPUT.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    return run_chromium(report_page, "--dump-dom", f"--screenshot={SCREENSHOT}")


def test_report_opens_in_indonesian_with_a_map_of_the_22_regencies(
    report_page: Path, indonesian_dom: subprocess.CompletedProcess
):
    page = report_page
    assert page.exists() and (page.parent / "plotly.min.js").exists()
    assert "cdn" not in page.read_text().lower()  # opens without internet

    block = check_rendered(indonesian_dom, "id")
    titles = chart_titles(block)
    assert text("map_p0_title", "id", year=2025) in titles
    assert text("map_rupiah_title", "id", year=2023) in titles
    assert text("quality_heading", "id") in block
    assert "20,05 %" in block or re.search(r"\d+,\d\d %", block)  # Indonesian number format

    assert SCREENSHOT.stat().st_size > 50_000
    print(f"report screenshot: {SCREENSHOT}")


def test_switching_language_changes_every_title(
    report_page: Path, indonesian_dom: subprocess.CompletedProcess
):
    """The switch buttons and the address (#en) run the same setLanguage(); the address is testable."""
    page = report_page
    indonesian = chart_titles(check_rendered(indonesian_dom, "id"))
    english = chart_titles(check_rendered(run_chromium(page, "--dump-dom", fragment="#en"), "en"))
    assert len(english) == len(indonesian) >= 6
    assert all(en != id_ for en, id_ in zip(english, indonesian, strict=True))
    assert text("map_p0_title", "en", year=2025) in english
    assert 'data-set-lang="en"' in page.read_text()  # the visible switch


def test_a_broken_page_is_caught_by_the_same_check(warehouse: Path, tmp_path: Path):
    """The console check must be able to fail: a page that throws is reported."""
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    assert console_errors(run_chromium(broken, "--dump-dom").stderr) != []


def test_chromium_keeps_its_profile_out_of_the_home_folder(tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    page = tmp_path / "page.html"
    page.write_text("<html><body><p id='x'>Kupang</p></body></html>")
    dom = run_chromium(page, "--dump-dom")
    assert dom.returncode == 0 and "Kupang" in dom.stdout, dom.stderr[-2000:]
    assert list(home.rglob("*")) == []


def test_sqlalchemy_with_duckdb_engine_reads_the_published_file(warehouse: Path):
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(f"duckdb:///{warehouse}", connect_args={"read_only": True})
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names(schema="main"))
        assert set(MARTS + NATIONAL_MARTS) <= tables
        for mart in MARTS:
            columns = {column["name"] for column in inspector.get_columns(mart, schema="main")}
            assert {"year", "regency_key", "bps_code"} <= columns, mart
        for mart in NATIONAL_MARTS:
            columns = {column["name"] for column in inspector.get_columns(mart, schema="main")}
            assert {"year", "area_key", "bps_code", "indicator_code", "survey_round"} <= columns, mart
        queries = documented_queries()
        assert len(queries) >= 10
        with engine.connect() as connection:
            for sql in queries:
                assert connection.execute(text(sql)).fetchall(), sql
    finally:
        engine.dispose()


def test_an_older_duckdb_reader_opens_the_published_file(warehouse: Path):
    """BI drivers bundle DuckDB 1.x; the published file is written in a storage format they read."""
    python = REPO_ROOT / ".venv-compat" / f"duckdb-{OLD_DUCKDB}" / "bin" / "python"
    if not python.exists():  # installed by `make test` (compat-reader), never while tests run
        pytest.fail(f"no DuckDB {OLD_DUCKDB} reader: run `make compat-reader` (make test does)")
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
    assert all(mart in counts for mart in MARTS + NATIONAL_MARTS)
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
    assert "Rows held back (a value that cannot be true; the rest of the file is loaded): 3" in status.stdout
    assert "row 254: Jember 2004 POVERTY_LINE = 102 is outside 20,000 to 3,000,000" in status.stdout
    assert (
        "Indicators with only the generic checks (a number, one value per key, 0-100 when percent): 21"
        in (status.stdout)
    )
    assert "  TINGKAT_SETENGAH_PENGANGGURAN (percent): Tingkat Setengah Pengangguran" in status.stdout


def test_schema_diagram_in_docs_is_current():
    committed = (REPO_ROOT / "docs" / "star_schema.md").read_text()
    assert committed == star_schema_markdown(dbt_project.manifest_path), "run `ntt-warehouse docs`"
    assert (REPO_ROOT / "docs" / "data_dictionary" / "index.html").exists()


def test_docs_without_a_build_file_say_so_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from dagster_project.cli import main

    missing = tmp_path / "nowhere" / "ntt_poverty.duckdb"
    assert main(["docs", "--warehouse", str(missing)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "no build file at" in error and str(missing.parent) in error
    assert "run `ntt-warehouse refresh` first" in error


def test_the_readmes_examples_are_questions_of_the_analysts_guide_word_for_word():
    """The guide's answers are recomputed by the tests; a README example must be one of them, unchanged."""
    shown = readme_questions()
    assert len(shown) == 3
    assert [question for question in shown if question not in guide_questions()] == []
