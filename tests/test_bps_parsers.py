"""Every BPS layout on the real bundled files: figures straight from them, counts per indicator and year."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from ingest.bps import multi_year
from ingest.bps.formats import FORMATS, candidate_files, format_of
from ingest.bps.reading import read_rows
from ingest.errors import SourceFileError
from ingest.paths import BUNDLED_DATA_DIR
from tests.conftest import (
    P0_FILE,
    P1_2021_2022_FILE,
    POOR_COUNT_FILE,
    POVERTY_LINE_2024_FILE,
    PROVINCE_P0_FILE,
    parse_bundled,
)

PANEL = Path(__file__).parent / "fixtures" / "ntt_kabkota_poverty_long.csv"
PANEL_INDICATORS = {"P0_persen": "P0", "jumlah_miskin_ribu_jiwa": "POOR_COUNT", "P1": "P1", "P2": "P2",
                    "garis_kemiskinan_rp_kapita_bulan": "POVERTY_LINE"}  # fmt: skip


@pytest.fixture(scope="module")
def everything() -> pd.DataFrame:
    files = candidate_files(BUNDLED_DATA_DIR / "bps")
    return pd.concat([format_of(path).parse(path).assign(layout=format_of(path).name) for path in files])


def value(table, code, year, indicator, semester=None):
    rows = table[(table.bps_code == code) & (table.year == year) & (table.indicator == indicator)]
    rows = rows[rows.semester.isna()] if semester is None else rows[rows.semester == semester]
    return None if rows.empty else float(rows.value.iloc[0])


def test_every_bundled_file_is_recognised():
    layouts = {path.name: format_of(path) for path in candidate_files(BUNDLED_DATA_DIR / "bps")}
    assert all(layouts.values()), [name for name, fmt in layouts.items() if fmt is None]
    counts = pd.Series([fmt.name for fmt in layouts.values()]).value_counts().to_dict()
    assert counts == {"single_year_table": 15, "tabel_dinamis": 5, "multi_year_table": 2,
                      "province_semester_table": 2, "long_export": 1}  # fmt: skip


def test_figures_straight_from_the_files():
    assert value(parse_bundled(POVERTY_LINE_2024_FILE), 5301, 2024, "POVERTY_LINE") == 441428  # Sumba Barat
    assert value(parse_bundled(P0_FILE), 5316, 2023, "P0") == 31.78  # Sumba Tengah
    assert value(parse_bundled(P0_FILE), 5300, 2022, "P0") == 20.05
    assert value(parse_bundled(POOR_COUNT_FILE), 5300, 2022, "POOR_COUNT") == 1131.62
    p1 = parse_bundled(P1_2021_2022_FILE)
    assert value(p1, 5300, 2022, "P1") == 3.63
    province = parse_bundled(PROVINCE_P0_FILE)
    assert value(province, 5300, 2022, "P0", semester=1) == 20.05  # March 2022
    assert value(province, 5300, 2024, "P0", semester=2) == 19.02  # September 2024
    assert value(province, 5300, 2024, "P0_URBAN", semester=1) == 8.57
    assert value(province, 5300, 2024, "P0_RURAL", semester=1) == 23.41
    assert value(province, 5300, 2023, "P0", semester=2) is None  # September 2023 was not published


def test_counts_per_indicator_and_year(everything):
    kabkota = everything[
        everything.semester.isna() & everything.indicator.isin(["P0", "P1", "P2", "POVERTY_LINE"])
    ]
    counts = kabkota.drop_duplicates(["bps_code", "year", "indicator"]).groupby(["indicator", "year"]).size()
    assert {year for (ind, year) in counts.index if ind == "P0"} == set(range(2004, 2026))
    assert {year for (ind, year) in counts.index if ind == "POVERTY_LINE"} == set(range(2011, 2026))
    assert {year for (ind, year) in counts.index if ind in ("P1", "P2")} == set(range(2015, 2024))
    for indicator in ("P0", "P1", "P2", "POVERTY_LINE"):
        assert counts[(indicator, 2023)] == 23, indicator  # the province and its 22 areas
    assert counts[("P0", 2014)] == 22  # Malaka: '-' before 2015
    assert counts[("POVERTY_LINE", 2014)] == 22
    assert counts[("P0", 2004)] == 17  # the province and the 16 areas that existed then


def test_semesters_of_the_province(everything):
    province = everything[(everything.layout == "province_semester_table") & (everything.indicator == "P0")]
    by_year = province.groupby("year").semester.apply(lambda s: sorted(s.dropna().astype(int))).to_dict()
    assert by_year[2007] == [] and by_year[2012] == [1, 2] and by_year[2023] == [1]


def test_agrees_with_the_independent_panel(everything):
    """The shared panel was assembled by hand from the same downloads: every value must match."""
    with PANEL.open(newline="") as handle:
        panel = [row for row in csv.DictReader(handle) if row["indikator"] in PANEL_INDICATORS]
    # The panel was built from the kab/kota tables only (see its SOURCE.md), so compare with those.
    kabkota = everything[everything.semester.isna() & (everything.layout != "province_semester_table")]
    ours = kabkota.drop_duplicates(["bps_code", "year", "indicator", "value"])
    lookup = {(int(r.bps_code), int(r.year), r.indicator): r.value for r in ours.itertuples()}
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
    "relative", [P0_FILE, POVERTY_LINE_2024_FILE, PROVINCE_P0_FILE], ids=lambda p: p.stem
)
def test_the_same_grid_saved_as_xlsx_reads_the_same(relative: Path, tmp_path: Path):
    from openpyxl import Workbook

    source = BUNDLED_DATA_DIR / relative
    workbook = Workbook()
    sheet = workbook.active
    for row in read_rows(source):
        sheet.append([float(c) if c.replace(".", "", 1).isdigit() else (c or None) for c in row])
    xlsx = tmp_path / (source.stem + ".xlsx")
    workbook.save(xlsx)

    fmt = format_of(xlsx)
    assert fmt is not None and fmt.name == format_of(source).name
    ours = fmt.parse(xlsx).drop(columns=["_source_file"])
    theirs = format_of(source).parse(source).drop(columns=["_source_file"])
    pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs.reset_index(drop=True))


def test_indicator_comes_from_the_title_not_the_file_name(tmp_path: Path):
    misleading = tmp_path / "P0_kabkota.csv"
    misleading.write_text((BUNDLED_DATA_DIR / POOR_COUNT_FILE).read_text())
    assert set(format_of(misleading).parse(misleading).indicator) == {"POOR_COUNT"}


def _doctored(tmp_path: Path, old: str, new: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "doctored.csv"
    path.write_bytes((BUNDLED_DATA_DIR / P0_FILE).read_text().replace(old, new, 1).encode(encoding))
    return path


@pytest.mark.parametrize(
    ("old", "new", "encoding", "message"),
    [
        ("Sumba Barat,42.04", "Sumba Barat,42.04x", "utf-8", r"row 4: value '42.04x' is not a number"),
        ("Sumba Timur,40.32,", "Sumba Timur,40,32,", "utf-8", r"row 5: row has 1 value\(s\) more"),
        ("Sumba Barat,", "Sumba Baratt,", "utf-8", r"row 4: area 'Sumba Baratt' is not an NTT regency"),
        ("Sumba Barat,", "Sumba B\u00e4rat,", "latin-1", "not UTF-8"),
        ("Provinsi/Kabupaten/Kota,Persentase", ",Persentase", "utf-8", "not a BPS multi-year table"),
    ],
    ids=["non_numeric", "shifted_row", "unknown_region", "wrong_encoding", "shifted_header"],
)
def test_malformed_files_are_refused_with_file_row_and_reason(tmp_path, old, new, encoding, message):
    path = _doctored(tmp_path, old, new, encoding)
    with pytest.raises(SourceFileError, match=message) as raised:
        multi_year.parse(read_rows(path), path)
    assert "doctored.csv" in str(raised.value)


def test_only_the_ntt_block_of_a_national_file_is_kept(tmp_path: Path):
    lines = (BUNDLED_DATA_DIR / P0_FILE).read_text().splitlines()
    others = ["NUSA TENGGARA BARAT," + ",".join(["15.0"] * 22), "Lombok Barat," + ",".join(["16.0"] * 22)]
    after = ["MALUKU," + ",".join(["17.0"] * 22), "Ambon," + ",".join(["5.0"] * 22)]
    path = tmp_path / "national.csv"
    path.write_text("\n".join([*lines[:2], *others, *lines[2:], *after]) + "\n")
    table = multi_year.parse(read_rows(path), path)
    assert len(table) == 23 * 22 - 31
    assert not set(table.area_name) & {"Lombok Barat", "Ambon", "MALUKU"}


def test_every_layout_has_a_documented_priority():
    seed = (Path(__file__).parents[1] / "dbt" / "seeds" / "bps_layout_priority.csv").read_text()
    assert all(f"\n{fmt.name}," in seed for fmt in FORMATS) and "\nwebapi," in seed
