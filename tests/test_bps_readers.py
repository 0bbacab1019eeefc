"""Every real BPS download reads, whatever its layout: figures straight from the files, whole country."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from ingest.bps import LAYOUTS, OBSERVATION_COLUMNS, OBSERVATION_DTYPES, empty_observations, read_bps_table
from ingest.bps.titles import PERIODS
from ingest.regions import area_by_code, load_bps_areas, load_regencies
from store.paths import display_path
from tests.bps_files import (
    BPS_DIR,
    GK_KABKOTA_2005,
    GK_ONE_YEAR_2024,
    GK_PROVINCE_2024,
    LONG_EXPORT,
    P0_KABKOTA_2022,
    P0_MULTI_YEAR,
    P0_PROVINCE_2022,
    P0_PROVINCE_RECONSTRUCTION,
    P1_PROVINCE_2015,
    P2_KABKOTA_2024,
    POOR_COUNT_MULTI_YEAR,
    SEMESTER_COLUMNS_2015,
    SEMESTER_COLUMNS_2021,
    TABEL_DINAMIS_P1_2021,
    all_observations,
    bundled_files,
    value,
)

SHARED_BPS = Path(__file__).resolve().parents[2] / "shared" / "data" / "bps"
LABOUR_FORCE_XLSX = (
    "bps-xlsx-exports-kasulampua/Penduduk Berumur 15 Tahun Ke Atas Menurut Provinsi dan Jenis Kegiatan "
    "Selama Seminggu yang Lalu, 2019 - 2022.xlsx"
)
# Files of ../shared/data/bps that are deliberately not bundled, and why.
NOT_BUNDLED = {
    "bps-kabkota-p1-p2-febroherdyanto/index_kemiskinan_nasional.csv": "a reshaping, not a BPS layout",
    "bps-provinsi-daerah-semester-visdati/"
    "NTT_P0_dan_jumlah_miskin_menurut_daerah_semester_2007-2026_long.csv": "a reshaping, not a BPS layout",
    "ntt-kabkota-poverty-panel/ntt_kabkota_poverty_long.csv": (
        "a hand-made panel: the tests' independent cross-check (tests/fixtures/ntt_kabkota_poverty_long.csv)"
    ),
    "ntt-kabkota-poverty-panel/SOURCE.md": "describes the panel above",
    LABOUR_FORCE_XLSX: (
        "its header contradicts itself: the four columns under 'Bukan Angkatan Kerja (AK)' repeat the "
        "labels of 'Angkatan Kerja (AK)' ('Bekerja', 'Pengangguran', 'Jumlah AK', '% Bekerja / AK') while "
        "their values are the groups outside the labour force (266,578 + 620,969 + 160,478 = 1,048,025 for "
        "West Kalimantan, February 2019), and August's '% Bekerja / AK' exceeds 100 (101.17): the loader "
        "quarantines it, 134 of its 1,280 values cannot be true "
        "(test_the_labour_force_xlsx_reads_its_four_blocks_and_is_quarantined)"
    ),
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.relative_to(BPS_DIR).as_posix())
def test_every_bundled_file_reads(path: Path):
    table = read_bps_table(path)
    assert list(table.columns) == OBSERVATION_COLUMNS
    assert table.dtypes.astype(str).to_dict() == OBSERVATION_DTYPES
    assert len(table) > 0 and table.layout.nunique() == 1 and table.layout.iloc[0] in LAYOUTS
    assert set(table._source_file) == {display_path(path)}
    assert table[["bps_code", "year", "value", "unit", "area_level", "indicator_name"]].notna().all().all()
    assert set(table.period) <= set(PERIODS) and table.breakdown.notna().all()


def test_every_shared_file_is_bundled_byte_for_byte_or_excluded_with_a_reason():
    if not SHARED_BPS.exists():
        pytest.skip("../shared is not here (the project runs without it)")
    unaccounted = []
    for shared in sorted(p for p in SHARED_BPS.rglob("*") if p.is_file()):
        relative = shared.relative_to(SHARED_BPS).as_posix()
        bundled = BPS_DIR / relative
        if relative == "BPS_FORMATS.md":
            continue  # data/bps/BPS_FORMATS.md is the project's own description of every layout
        if relative in NOT_BUNDLED:
            assert not bundled.exists(), relative
        elif not bundled.exists() or _sha(bundled) != _sha(shared):
            unaccounted.append(relative)
    assert unaccounted == []


def test_each_layout_reads_its_files():
    """Every case of the table model with the bundled files it reads (data/bps/BPS_FORMATS.md)."""
    layouts = all_observations().groupby("layout")._source_file.nunique().to_dict()
    assert layouts == {
        # the national kab/kota web exports, the poverty line files, the NTT extracts, 15 XLSX exports
        "area_by_year": 76 + 15 + 2 + 15,
        # provinces x daerah x round (web exports, NTT reconstructions, 3 XLSX), TPT by Sakernas round
        "area_by_period": 58 + 2 + 3 + 36,
        "area_by_variable": 6,
        "daerah_by_period": 26 + 24 + 24 + 26,  # Indonesia by Kota/Desa: P0, P1, P2, poverty line
        "tabel_dinamis": 5,
        "long_export": 1,
    }


def test_values_read_per_layout():
    """How many values each case gives: the count the closing note reports (bench.bps_readers prints it)."""
    counts = all_observations().groupby("layout").size().to_dict()
    assert sum(counts.values()) == len(all_observations()) > 70_491  # the old readers' 165 files gave 70,491


def test_ntt_and_indonesia_march_2022_as_the_rat_cites_them():
    p0 = read_bps_table(P0_PROVINCE_2022)
    assert value(p0, 5300, 2022, "P0", semester=1) == 20.05
    assert value(p0, 0, 2022, "P0", semester=1) == 9.54
    assert value(p0, 5300, 2022, "P0", semester=2) == 20.23
    assert value(p0, 5300, 2022, "P0", semester=None) is None  # no annual figure from 2012 on
    assert value(p0, 5300, 2022, "P0", semester=1, area_type="urban") == 8.84
    assert value(p0, 5300, 2022, "P0", semester=1, area_type="rural") == 23.86
    assert value(p0, 1100, 2022, "P0", semester=1) == 14.64  # Aceh
    assert set(p0[p0.area_level == "country"].area_name) == {"INDONESIA"}


def test_province_tables_of_every_indicator():
    p1 = read_bps_table(P1_PROVINCE_2015)
    assert set(p1.indicator) == {"P1"} and set(p1.unit) == {"index"}
    assert value(p1, 5300, 2015, "P1", semester=1, area_type="rural") == 4.66
    assert value(p1, 5300, 2015, "P1", semester=2) == 4.62  # the total block is 'Perkotaan+Perdesaan' here
    assert value(p1, 0, 2015, "P1", semester=1, area_type="urban") == 1.4
    gk = read_bps_table(GK_PROVINCE_2024)
    assert set(gk.breakdown) == {"urban", "rural"}  # the poverty line table has no total block
    assert value(gk, 5300, 2024, "POVERTY_LINE", semester=1, area_type="urban") == 638261
    assert value(gk, 5300, 2024, "POVERTY_LINE", semester=2, area_type="rural") == 495180
    assert value(gk, 0, 2024, "POVERTY_LINE", semester=2, area_type="urban") == 615763
    everything = all_observations()
    p2 = everything[
        everything._source_file.str.contains("Keparahan Kemiskinan .P2. Menurut Provinsi dan Daerah, 2024")
    ]
    assert value(p2, 5300, 2024, "P2", semester=1) == 0.85 and value(p2, 0, 2024, "P2", semester=2) == 0.32


def test_the_reconstructed_province_table_agrees_with_the_download():
    ours = read_bps_table(P0_PROVINCE_RECONSTRUCTION)
    assert value(ours, 5300, 2024, "P0", semester=2) == 19.02
    assert value(ours, 5300, 2007, "P0", semester=None, area_type="urban") == 16.41
    assert value(ours, 5300, 2023, "P0", semester=2) is None  # September 2023 was not published
    downloads = all_observations()
    downloads = downloads[downloads.layout.eq("area_by_period") & downloads.bps_code.eq(5300)]
    downloads = downloads[~downloads._source_file.str.contains("visdati")]
    keys = ["year", "period", "breakdown", "indicator"]
    merged = ours.merge(downloads, on=keys, suffixes=("", "_download"))
    assert len(merged) == 81 and (merged.value - merged.value_download).abs().max() < 1e-9


def test_area_by_variable():
    table = read_bps_table(SEMESTER_COLUMNS_2015)
    assert set(table.indicator) == {"P0", "POOR_COUNT"}  # 2015 has no poverty line columns
    assert value(table, 5300, 2015, "P0", semester=1) == 22.61
    assert value(table, 5300, 2015, "POOR_COUNT", semester=2) == 1160.53
    assert value(table, 0, 2015, "POOR_COUNT", semester=1) == 28592.83
    assert table[table.bps_code == 5300].area_name.iloc[0] == "Nusa Tenggara Timur"  # title case kept
    later = read_bps_table(SEMESTER_COLUMNS_2021)
    assert value(later, 5300, 2021, "POVERTY_LINE", semester=1) == 415116
    assert value(later, 5300, 2021, "POVERTY_LINE", semester=2) is None  # '...'
    assert value(later, 0, 2021, "P0", semester=1) == 10.14
    assert later.bps_code.nunique() == 35  # the 34 provinces of 2021 and Indonesia


def test_kabkota_tables_of_the_whole_country():
    p0 = read_bps_table(P0_KABKOTA_2022)
    assert value(p0, 5300, 2022, "P0") == 20.05
    assert value(p0, 5301, 2022, "P0") == 27.47  # Sumba Barat
    assert value(p0, 5303, 2022, "P0") == 21.7  # Kupang, the kabupaten
    assert value(p0, 1101, 2022, "P0") == 18.37  # Simeulue, Aceh
    kabkota = p0[p0.area_level == "kabkota"]
    assert kabkota.bps_code.nunique() == 514 and kabkota.province_bps_code.nunique() == 38
    assert p0[p0.area_level == "province"].bps_code.nunique() == 34  # the four new Papua provinces: '-'
    p2 = read_bps_table(P2_KABKOTA_2024)
    assert value(p2, 5300, 2024, "P2") == 0.85 and value(p2, 5302, 2024, "P2") == 2.18
    gk = read_bps_table(GK_KABKOTA_2005)
    assert value(gk, 5300, 2005, "POVERTY_LINE") == 98263 and value(gk, 3509, 2005, "POVERTY_LINE") == 110798


def test_names_that_repeat_across_provinces_get_their_own_codes():
    p0 = read_bps_table(P0_KABKOTA_2022)
    by_name = p0[p0.area_level == "kabkota"].groupby("area_name").bps_code.apply(set)
    assert by_name["Kupang"] == {5303} and by_name["Kota Kupang"] == {5371}
    assert by_name["Bogor"] == {3201} and by_name["Kota Bogor"] == {3271}
    assert by_name["Gorontalo"] == {7502} and by_name["Bima"] == {5206}
    # Areas moved to the 2022 Papua provinces keep their code; their province is today's.
    merauke = p0[p0.bps_code == 9401].iloc[0]
    assert (merauke.area_name, merauke.province_bps_code) == ("Merauke", 9500)


def test_old_tables_with_the_papua_of_before_2022_place_its_areas():
    table = read_bps_table(TABEL_DINAMIS_P1_2021)
    assert value(table, 5300, 2022, "P1") == 3.63 and value(table, 5300, 2021, "P1") is not None
    assert table.bps_code.nunique() == 548  # 34 provinces and 514 kab/kota, no Indonesia row
    assert 9401 in set(table.bps_code) and 9429 in set(table.bps_code)  # Merauke, 'Nduga *'
    long = read_bps_table(LONG_EXPORT)
    assert value(long, 5300, 2023, "P1") == 3.33 and value(long, 1101, 2023, "P1") == 3.26


def test_multi_year_and_one_year_tables():
    p0 = read_bps_table(P0_MULTI_YEAR)
    assert value(p0, 5316, 2023, "P0") == 31.78  # Sumba Tengah
    assert value(p0, 5300, 2010, "P0") == 21.76  # the kab/kota table's province series, not 23.03
    assert value(read_bps_table(POOR_COUNT_MULTI_YEAR), 5300, 2022, "POOR_COUNT") == 1131.62
    gk = read_bps_table(GK_ONE_YEAR_2024)
    assert value(gk, 5301, 2024, "POVERTY_LINE") == 441428 and value(gk, 5300, 2024, "POVERTY_LINE") == 527275


def test_every_area_of_the_reference_has_figures():
    everything = all_observations()
    assert set(everything.bps_code) == {area.bps_code for area in load_bps_areas()}
    assert len(set(everything.bps_code)) == 1 + 38 + 514


def test_the_same_figure_agrees_across_downloads():
    """The national web exports and the older downloads overlap: every shared cell must agree."""
    everything = all_observations()
    annual = everything[everything.period.eq("annual") & everything.layout.ne("area_by_period")]
    keys = ["bps_code", "year", "indicator", "breakdown"]
    spread = annual.groupby(keys).value.agg(["min", "max", "count"])
    overlapping = spread[spread["count"] > 1]
    assert len(overlapping) > 14_000
    assert (overlapping["max"] - overlapping["min"]).max() < 1e-9


def test_the_two_province_layouts_agree_but_for_two_real_defects():
    """The 2017 semester-columns file repeats September's 10.12 as Indonesia's P0 March (BPS: 10.64); the 2018
    one has September's number poor there (the loader holds that value back, the daerah table gives 9.82)."""
    everything = all_observations()
    columns = everything[everything.layout.eq("area_by_variable")]
    daerah = everything[everything.layout.eq("area_by_period") & everything._source_file.str.endswith(".csv")]
    keys = ["bps_code", "year", "period", "breakdown", "indicator"]
    merged = columns.merge(daerah, on=keys, suffixes=("", "_daerah"))
    differing = merged[(merged.value - merged.value_daerah).abs() > 1e-9]
    assert len(merged) == 333  # 324 cells, some of NTT's twice (the web export and the reconstruction)
    assert differing[[*keys, "value", "value_daerah"]].values.tolist() == [
        [0, 2017, "S1", "total", "P0", 10.12, 10.64],
        [0, 2018, "S1", "total", "P0", 25674.58, 9.82],
    ]


def test_the_xlsx_exports_agree_with_the_csv_exports_wherever_both_give_a_figure():
    """The XLSX exports (Kalimantan, Sulawesi, Maluku, Papua, 2019-2022) against the CSV web exports and
    the semester-columns tables: the same area, period, breakdown and indicator, the same figure."""
    everything = all_observations()
    xlsx = everything[everything._source_file.str.endswith(".xlsx")]
    csv = everything[~everything._source_file.str.endswith(".xlsx") & everything.layout.ne("area_by_year")]
    keys = ["bps_code", "year", "period", "breakdown", "indicator"]
    merged = xlsx.merge(csv, on=keys, suffixes=("", "_csv"))
    assert len(merged) > 600 and set(merged.indicator) == {"P1", "P2", "POOR_COUNT"}
    apart = (merged.value - merged.value_csv).abs()
    # Three numbers poor of March 2020 differ by 0.01 from the 2020 semester-columns table: BPS's rounding.
    assert apart.max() < 0.0101 and merged[apart > 1e-9][["bps_code", "layout_csv"]].values.tolist() == [
        [6400, "area_by_variable"],
        [7600, "area_by_variable"],
        [8100, "area_by_variable"],
    ]


def test_the_series_differ_where_bps_says_they_do():
    """2010: the kab/kota table's province row (21.76) is not the province table's annual figure (23.03)."""
    everything = all_observations()
    ntt = everything[everything.bps_code.eq(5300) & everything.indicator.eq("P0") & everything.year.eq(2010)]
    by_layout = ntt[ntt.breakdown.eq("total")].groupby("layout").value.agg(set).to_dict()
    assert by_layout == {"area_by_year": {21.76}, "area_by_period": {23.03}}


def test_ntt_codes_agree_with_the_ntt_reference():
    ntt = {r.bps_code: r.name for r in load_regencies()}
    national = {
        a.bps_code: a.name for a in load_bps_areas() if a.province_bps_code == 5300 and a.level == "kabkota"
    }
    assert national == ntt
    assert area_by_code()[5300].name == "Nusa Tenggara Timur"


def test_empty_observations_is_typed():
    empty = empty_observations()
    assert empty.empty and list(empty.columns) == OBSERVATION_COLUMNS
    pd.testing.assert_frame_equal(
        empty, all_observations().iloc[:0].reset_index(drop=True), check_index_type=False
    )
