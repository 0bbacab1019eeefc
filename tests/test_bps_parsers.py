"""The NTT figures of every bundled table: counts per indicator and year, and the independent panel."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from ingest.bps import LAYOUTS, read_bps_table
from ingest.bps.reading import read_rows
from store.errors import SourceFileError
from tests.bps_files import (
    BPS_DIR,
    GK_ONE_YEAR_2024,
    P0_MULTI_YEAR,
    P0_PROVINCE_RECONSTRUCTION,
    POOR_COUNT_MULTI_YEAR,
    TABEL_DINAMIS_P1_2021,
    all_observations,
    value,
    write_xlsx,
)

PANEL = Path(__file__).parent / "fixtures" / "ntt_kabkota_poverty_long.csv"
PANEL_INDICATORS = {"P0_persen": "P0", "jumlah_miskin_ribu_jiwa": "POOR_COUNT", "P1": "P1", "P2": "P2",
                    "garis_kemiskinan_rp_kapita_bulan": "POVERTY_LINE"}  # fmt: skip
# The folders the panel was assembled from (its SOURCE.md); the national web exports came later.
PANEL_FOLDERS = ("visdati", "ferliyanaronnan", "febroherdyanto")


@pytest.fixture(scope="module")
def ntt() -> pd.DataFrame:
    everything = all_observations()
    return everything[everything.bps_code.eq(5300) | everything.province_bps_code.eq(5300)]


def test_figures_straight_from_the_files():
    assert value(read_bps_table(GK_ONE_YEAR_2024), 5301, 2024, "POVERTY_LINE") == 441428  # Sumba Barat
    assert value(read_bps_table(P0_MULTI_YEAR), 5316, 2023, "P0") == 31.78  # Sumba Tengah
    assert value(read_bps_table(P0_MULTI_YEAR), 5300, 2022, "P0") == 20.05
    assert value(read_bps_table(POOR_COUNT_MULTI_YEAR), 5300, 2022, "POOR_COUNT") == 1131.62
    assert value(read_bps_table(TABEL_DINAMIS_P1_2021), 5300, 2022, "P1") == 3.63
    province = read_bps_table(P0_PROVINCE_RECONSTRUCTION)
    assert value(province, 5300, 2022, "P0", semester=1) == 20.05  # March 2022
    assert value(province, 5300, 2024, "P0", semester=2) == 19.02  # September 2024
    assert value(province, 5300, 2024, "P0", semester=1, area_type="urban") == 8.57
    assert value(province, 5300, 2024, "P0", semester=1, area_type="rural") == 23.41
    assert value(province, 5300, 2023, "P0", semester=2) is None  # September 2023 was not published


def test_counts_per_indicator_and_year(ntt):
    kabkota = ntt[ntt.period.eq("annual") & ntt.layout.ne("area_by_period")]
    counts = kabkota.drop_duplicates(["bps_code", "year", "indicator"]).groupby(["indicator", "year"]).size()
    assert {year for (ind, year) in counts.index if ind == "P0"} == set(range(2004, 2026))
    assert {year for (ind, year) in counts.index if ind == "POVERTY_LINE"} == set(range(2004, 2026))
    assert {year for (ind, year) in counts.index if ind == "P1"} == set(range(2004, 2025))
    assert {year for (ind, year) in counts.index if ind == "P2"} == set(range(2004, 2025))
    for indicator in ("P0", "P1", "P2", "POVERTY_LINE"):
        assert counts[(indicator, 2023)] == 23, indicator  # the province and its 22 areas
    assert counts[("P0", 2014)] == 22  # Malaka: '-' before 2015
    assert counts[("POVERTY_LINE", 2014)] == 22
    assert counts[("P0", 2004)] == 17  # the province and the 16 areas that existed then


def test_semesters_of_the_province(ntt):
    province = ntt[ntt.layout.eq("area_by_period") & ntt.indicator.eq("P0") & ntt.breakdown.eq("total")]
    by_year = province.groupby("year").period.apply(lambda s: sorted(set(s) - {"annual"})).to_dict()
    assert by_year[2007] == [] and by_year[2012] == ["S1", "S2"] and by_year[2023] == ["S1"]


def test_agrees_with_the_independent_panel(ntt):
    """The shared panel was assembled by hand from the same downloads: every value must match."""
    with PANEL.open(newline="") as handle:
        panel = [row for row in csv.DictReader(handle) if row["indikator"] in PANEL_INDICATORS]
    sources = ntt[ntt._source_file.str.contains("|".join(PANEL_FOLDERS)) & ntt.period.eq("annual")]
    kabkota = sources[sources.layout.ne("area_by_period")]
    lookup = {(int(r.bps_code), int(r.year), r.indicator): r.value for r in kabkota.itertuples()}
    checked = mismatched = 0
    for row in panel:
        key = (int(row["kode_bps"]), int(row["tahun"]), PANEL_INDICATORS[row["indikator"]])
        if key[1] == 2025 and key[2] in ("P1", "P2"):
            continue  # the panel's 2025 P1/P2 come from a processed extract we do not bundle
        checked += 1
        mismatched += abs(lookup.get(key, float("nan")) - float(row["nilai"])) > 1e-9
    assert checked == 1695  # every panel value but the 2025 P1/P2
    assert mismatched == 0


@pytest.mark.parametrize(
    "source", [P0_MULTI_YEAR, GK_ONE_YEAR_2024, P0_PROVINCE_RECONSTRUCTION], ids=lambda p: p.stem
)
def test_the_same_grid_saved_as_xlsx_reads_the_same(source: Path, tmp_path: Path):
    xlsx = write_xlsx(tmp_path / (source.stem + ".xlsx"), read_rows(source))
    ours = read_bps_table(xlsx).drop(columns=["_source_file"])
    theirs = read_bps_table(source).drop(columns=["_source_file"])
    pd.testing.assert_frame_equal(ours, theirs)


def test_indicator_comes_from_the_title_not_the_file_name(tmp_path: Path):
    misleading = tmp_path / "P0_kabkota.csv"
    misleading.write_bytes(POOR_COUNT_MULTI_YEAR.read_bytes())
    assert set(read_bps_table(misleading).indicator) == {"POOR_COUNT"}


def _doctored(tmp_path: Path, old: str, new: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "doctored.csv"
    text = P0_MULTI_YEAR.read_text()
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode(encoding))
    return path


@pytest.mark.parametrize(
    ("old", "new", "encoding", "message"),
    [
        ("Sumba Barat,42.04", "Sumba Barat,42.04x", "utf-8", r"row 4: value '42.04x' is not a number"),
        ("Sumba Timur,40.32,", "Sumba Timur,40,32,", "utf-8", r"row 5: row has 1 value\(s\) more"),
        (
            "Sumba Barat,",
            "Sumba Baratt,",
            "utf-8",
            r"row 4: 'Sumba Baratt' is no kab/kota of Nusa Tenggara Timur",
        ),
        ("Sumba Barat,", "Sumba Barat,", "utf-16", "not UTF-8"),
        ("Sumba Barat,", "Sumba B\u00e4rat,", "cp1252", "row 4: 'Sumba B\u00e4rat' is no kab/kota"),
        ("\n,2004,2005", "\n2004,2005", "utf-8", r"header row 2: a year in the area column \('2004'\)"),
    ],
    ids=["non_numeric", "shifted_row", "unknown_region", "utf16", "windows_1252", "shifted_header"],
)
def test_malformed_files_are_refused_with_file_row_and_reason(tmp_path, old, new, encoding, message):
    path = _doctored(tmp_path, old, new, encoding)
    with pytest.raises(SourceFileError, match=message) as raised:
        read_bps_table(path)
    assert "doctored.csv" in str(raised.value)


def test_every_block_of_a_national_file_is_kept(tmp_path: Path):
    lines = P0_MULTI_YEAR.read_text().splitlines()
    before = ["NUSA TENGGARA BARAT," + ",".join(["15.0"] * 22), "Lombok Barat," + ",".join(["16.0"] * 22)]
    after = ["MALUKU," + ",".join(["17.0"] * 22), "Kota Ambon," + ",".join(["5.0"] * 22)]
    path = tmp_path / "national.csv"
    path.write_text("\n".join([*lines[:2], *before, *lines[2:], *after]) + "\n")
    table = read_bps_table(path)
    assert len(table) == 23 * 22 - 31 + 4 * 22
    assert value(table, 5201, 2010, "P0") == 16.0 and value(table, 8171, 2010, "P0") == 5.0
    assert value(table, 5300, 2010, "P0") == 21.76


def test_every_layout_is_documented():
    formats = (BPS_DIR / "BPS_FORMATS.md").read_text()
    assert all(f"`{layout}`" in formats for layout in LAYOUTS)
