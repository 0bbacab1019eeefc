"""The report's content: Indonesian and English texts, numbers, map data, targets, and what it reads."""

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from reporting import charts, maps
from reporting import formatting as fmt
from reporting.data import read_report_data
from reporting.geo import GEOJSON_PATH, regency_geojson
from reporting.i18n import TEXTS, text
from reporting.report import CHART_IDS, PLOTLY_JS, build_report
from tests.conftest import Warehouse, query


@pytest.fixture(scope="module")
def warehouse(built_warehouse: Warehouse) -> Path:
    return built_warehouse.published


def test_numbers_in_indonesian_and_english_format():
    assert fmt.percent(20.05, "id") == "20,05 %"
    assert fmt.percent(20.05, "en") == "20.05%"
    assert fmt.rupiah(164_734_762_202, "id") == "Rp 164,7 miliar"
    assert fmt.rupiah(164_734_762_202, "en") == "Rp 164.7 billion"
    assert fmt.rupiah(1_467_304_065.2, "id") == "Rp 1,5 miliar"
    assert fmt.rupiah(2_500_000_000_000, "id") == "Rp 2,5 triliun"
    assert fmt.rupiah(60_532.35, "id") == "Rp 60.532"
    assert fmt.rupiah(60_532.35, "en") == "Rp 60,532"
    assert fmt.number(1_088.78, 2, "id") == "1.088,78"
    assert fmt.thousand_people(1_088.78, "id") == "1.088,78 ribu jiwa"
    assert fmt.points(-0.73, "id") == "-0,73" and fmt.points(1.2, "en") == "+1.20"
    assert fmt.percent(None, "id") == fmt.NO_VALUE and fmt.rupiah(float("nan"), "en") == fmt.NO_VALUE


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    for key, (indonesian, english) in TEXTS.items():
        assert indonesian.strip() and english.strip(), key
        assert set(re.findall(r"{(\w+)}", indonesian)) == set(re.findall(r"{(\w+)}", english)), key


def test_bundled_boundaries_are_the_documented_file_and_join_on_bps_codes(warehouse: Path):
    notice = (GEOJSON_PATH.parent / "SOURCE.md").read_text()
    documented = re.search(r"sha256 \| `([0-9a-f]{64})`", notice).group(1)
    assert hashlib.sha256(GEOJSON_PATH.read_bytes()).hexdigest() == documented
    assert "MIT License" in notice and "Copyright (c) 2024 Cahya DSN" in notice
    names = dict(query(warehouse, "select bps_code, name from main.dim_regency where not is_province"))
    features = regency_geojson()["features"]
    assert {int(f["properties"]["bps_code"]): f["properties"]["name"] for f in features} == names
    # The source's own `kode` is Kemendagri's numbering: joining on it would misplace most regencies.
    kemendagri = dict(query(warehouse, "select kemendagri_code, bps_code from main.dim_regency"))
    moved = [f for f in features if kemendagri[f["properties"]["kode"]] != int(f["properties"]["bps_code"])]
    assert moved == []
    assert sum(f["properties"]["kode"][-2:] != f["properties"]["bps_code"][-2:] for f in features) > 10


def _visible_labels(figure) -> list[str]:
    layout = figure.layout
    labels = [layout.title.text or ""]
    labels += [axis.title.text or "" for axis in (layout.xaxis, layout.yaxis) if axis.title]
    labels += [trace.name for trace in figure.data if trace.name and trace.showlegend is not False]
    for trace in figure.data:
        colorbar = getattr(trace, "colorbar", None)
        if colorbar is not None and colorbar.title.text:
            labels.append(colorbar.title.text)
    for slider in layout.sliders:
        labels.append(slider.currentvalue.prefix)
        labels += [step.args[1]["title.text"] for step in slider.steps]
    return [label for label in labels if label]


def test_every_chart_speaks_the_chosen_language(warehouse: Path):
    data = read_report_data(warehouse)
    builders = {
        "map-p0": lambda lang: maps.p0_map(data.profile, data.programs, lang),
        "map-rupiah": lambda lang: maps.rupiah_map(data.budget, data.programs, lang),
        "targets-vs-outcomes": lambda lang: charts.targets_vs_outcomes(data.targets, lang),
        "rupiah-per-poor-person": lambda lang: charts.rupiah_per_poor(data.budget, lang),
        "poverty-vs-budget": lambda lang: charts.poverty_vs_budget(data.budget, lang),
        "p0-over-time": lambda lang: charts.p0_over_time(data.profile, lang),
    }
    english_words = re.compile(
        r"\b(poverty|budget|person|regency|year|rate|province|latest|poor|before)\b", re.I
    )
    indonesian_words = re.compile(r"\b(kemiskinan|penduduk|anggaran|tahun|miskin|provinsi|kabupaten)\b", re.I)
    for name, build in builders.items():
        indonesian, english = build("id"), build("en")
        assert indonesian.layout.separators == ",." and english.layout.separators == ".,", name
        id_labels, en_labels = _visible_labels(indonesian), _visible_labels(english)
        assert id_labels and len(id_labels) == len(en_labels), name
        assert indonesian.layout.title.text != english.layout.title.text, name
        assert [label for label in id_labels if english_words.search(label)] == [], name
        assert [label for label in en_labels if indonesian_words.search(label)] == [], name


def test_map_hover_gives_the_figures_and_the_programs_reaching_each_regency(warehouse: Path):
    data = read_report_data(warehouse)
    figure = maps.rupiah_map(data.budget, data.programs, "id")
    trace = figure.data[1]
    assert sorted(trace.locations) == sorted(
        f["properties"]["bps_code"] for f in regency_geojson()["features"]
    )
    hover = dict(zip(trace.locations, trace.text, strict=True))["5316"]
    [(p0, rupiah)] = query(
        warehouse, "select p0, rupiah_per_poor_person from main.mart_budget_vs_poverty where bps_code = 5316"
    )
    assert fmt.percent(p0, "id") in hover and fmt.rupiah(rupiah, "id") in hover
    reaching = query(
        warehouse,
        """select distinct p.program, p.kegiatan from main.fct_regency_program rp
           join main.dim_regency r using (regency_key) join main.dim_program p using (program_key)
           where r.bps_code = 5316 and rp.year = 2023 and not rp.is_province_wide""",
    )
    names = {name for pair in reaching for name in pair if name}
    bullets = [line[2:].rstrip("…") for line in hover.split("<br>") if line.startswith("• ")]
    assert bullets and all(any(name.startswith(b) for name in names) for b in bullets), bullets
    distinct = {program or kegiatan for program, kegiatan in reaching}
    assert len(bullets) == min(len(distinct), maps.PROGRAMS_IN_HOVER)
    if len(distinct) > maps.PROGRAMS_IN_HOVER:
        assert f"{len(distinct) - maps.PROGRAMS_IN_HOVER} program lain" in hover
    p0_map = maps.p0_map(data.profile, data.programs, "en")
    assert len(p0_map.layout.sliders[0].steps) == data.profile["year"].nunique()
    assert p0_map.layout.sliders[0].steps[-1].label == str(data.profile["year"].max())


def test_rat_targets_meet_the_bps_figures_of_the_plan_year(warehouse: Path):
    """The RAT 2023 rows naming poverty indicators, recognised from their text, beside BPS's figures."""
    rows = query(
        warehouse,
        """select row_number, indicator_code, bps_code, target_text, target_is_comparable, outcome_value,
                  baseline_value, latest_year
           from main.mart_rat_targets_vs_outcomes where year = 2023 and indicator_in_warehouse""",
    )
    by_key = {(row, code, area): rest for row, code, area, *rest in rows}
    # "Kemiskinan Extrim" (row 21, Sumba Barat and Manggarai): recognised, shown beside the release figure
    # where one exists (Sumba Barat 2023, a Kemenko PMK estimate), but "2 Kab" is no rate to compare.
    assert by_key[(21, "P0_EXTREME", 5301)][:2] == ["2 Kab", False]
    assert by_key[(21, "P0_EXTREME", 5301)][2] is not None
    assert by_key[(21, "P0_EXTREME", 5313)][2] is None
    # Row 13's goal names P0, P1 and P2 ("presentase penduduk dibawah garis kemiskinan, ...") for TTS.
    p0 = dict(
        query(warehouse, "select year, p0 from main.mart_regency_poverty_profile where bps_code = 5304")
    )
    assert by_key[(13, "P0", 5304)][2:4] == [p0[2023], p0[2022]]
    assert {code for (row, code, _) in by_key if row == 13} == {"P0", "P1", "P2"}
    # Nothing else in the plan names an indicator the warehouse has: fishing or KUBE rows are not poverty
    # rates; stunting, wasting, health workers, electricity, life expectancy say no indicator measures them.
    assert {row for (row, _, _) in by_key} == {13, 21}
    unmatched = query(
        warehouse,
        """select distinct indicator_code, match_status from main.mart_rat_targets_vs_outcomes
           where year = 2023 and not indicator_in_warehouse""",
    )
    assert {code for code, _ in unmatched} == {
        "STUNTING", "WASTING", "UNDERWEIGHT", "HEALTH_WORKERS_STANDARD", "ELECTRICITY_HOUSEHOLDS",
        "ANGKA_HARAPAN_HIDUP_AHH",
    }  # fmt: skip
    assert {status for _, status in unmatched} == {"indicator not in the warehouse"}


def _copy(warehouse: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(warehouse, copy)
    return copy


def test_extreme_poverty_map_appears_once_the_fact_table_has_it(warehouse: Path, tmp_path: Path):
    """An older warehouse whose profile mart lacks extreme poverty: the report reads the fact table."""
    copy = _copy(warehouse, tmp_path)
    with duckdb.connect(str(copy)) as connection:
        for column in ("p0_extreme", "poor_extreme_count_thousand", "extreme_poverty_producer"):
            connection.execute(f"alter table main.mart_regency_poverty_profile drop column {column}")
        connection.execute(
            "delete from main.fct_poverty_indicator where indicator_key in (select indicator_key"
            " from main.dim_indicator where indicator_code in ('P0_EXTREME', 'POOR_EXTREME_COUNT'))"
        )
        # dim_indicator lists P0_EXTREME already (its code is unique there): the facts come under its key.
        connection.execute(
            """insert into main.fct_poverty_indicator by name
               select r.regency_key as area_key, r.regency_key, p.period_key, i.indicator_key,
                      m.p0 / 10 as value, 'march' as survey_round, 'BPS' as producer
               from main.mart_regency_poverty_profile m
               join main.dim_regency r using (regency_key)
               join main.dim_period p on p.year = m.year and p.semester = 1
               join main.dim_indicator i on i.indicator_code = 'P0_EXTREME'
               where m.year = 2024 and not m.is_province"""
        )
    extreme = read_report_data(copy).extreme
    assert len(extreme) == 22 and set(extreme["year"]) == {2024}
    expected = dict(
        query(
            warehouse,
            "select bps_code, p0 / 10 from main.mart_regency_poverty_profile"
            " where year = 2024 and not is_province",
        )
    )
    assert dict(zip(extreme["bps_code"], extreme["p0_extreme"], strict=True)) == pytest.approx(expected)
    figure = maps.extreme_poverty_map(extreme, "id")
    assert len(figure.data[1].locations) == 22 and "2024" in figure.layout.title.text


def test_extreme_poverty_from_the_profile_mart_shows_who_produced_it(warehouse: Path, tmp_path: Path):
    copy = _copy(warehouse, tmp_path)
    with duckdb.connect(str(copy)) as connection:
        connection.execute(
            "update main.mart_regency_poverty_profile set"
            " p0_extreme = case when year >= 2023 then p0 / 8 end,"
            " poor_extreme_count_thousand = case when year >= 2023 then poor_count_thousand / 8 end,"
            " extreme_poverty_producer = case when year = 2025 then 'BPS'"
            " when year >= 2023 then 'Kemenko PMK estimasi' end"
        )
    extreme = read_report_data(copy).extreme
    assert sorted(set(extreme["year"])) == [2023, 2024, 2025] and len(extreme) == 66
    figure = maps.extreme_poverty_map(extreme, "id")
    assert len(figure.layout.sliders[0].steps) == 3
    assert "Sumber angka: BPS" in figure.data[1].text[0]
    page = build_report(copy, tmp_path / "report")
    assert 'data-target="map-extreme-id"' in page.read_text()


def _build_without_network(warehouse: Path, folder: Path) -> subprocess.CompletedProcess:
    script = (
        "import sys; from pathlib import Path; from reporting.report import build_report; "
        "print(build_report(Path(sys.argv[1]), Path(sys.argv[2])))"
    )
    command = [sys.executable, "-c", script, str(warehouse), str(folder)]
    # A network namespace of its own has no interface but a downed loopback: nothing can be fetched.
    if (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0
    ):
        command = ["unshare", "-rn", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_report_is_built_from_the_warehouse_alone(warehouse: Path, tmp_path: Path):
    folder = tmp_path / "report"
    built = _build_without_network(warehouse, folder)
    assert built.returncode == 0, built.stderr
    page = (folder / "index.html").read_text()
    # Everything the page loads sits beside it: no http(s) source, no CDN.
    assert re.findall(r'(?:src|href)="(https?:)?//', page) == []
    assert re.findall(r'<script src="([^"]+)"', page) == [PLOTLY_JS] and (folder / PLOTLY_JS).exists()
    assert "cdn" not in page.lower()
    for chart_id in CHART_IDS:
        for lang in ("id", "en"):
            assert f'id="{chart_id}-{lang}"' in page or f'data-target="{chart_id}-{lang}"' in page
    assert (
        '<html lang="id">' in page and text("page_title", "id") in page and text("page_title", "en") in page
    )
