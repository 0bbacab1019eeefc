"""Any year of a known layout, saved any way people save it, reads without code changes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ingest.bps import read_bps_table
from tests.bps_files import (
    GK_PROVINCE_2024,
    LONG_EXPORT,
    P0_KABKOTA_2022,
    P0_MULTI_YEAR,
    P0_PROVINCE_2022,
    P0_PROVINCE_RECONSTRUCTION,
    SEMESTER_COLUMNS_2021,
    grid_rows,
    poverty_line_part_table,
    relabel_years,
    value,
    with_decimal_comma,
    write_csv,
    write_xlsx,
)

GRID_SAMPLES = [
    P0_KABKOTA_2022,
    P0_MULTI_YEAR,
    P0_PROVINCE_2022,
    GK_PROVINCE_2024,
    P0_PROVINCE_RECONSTRUCTION,
    SEMESTER_COLUMNS_2021,
]
SAMPLES = [*GRID_SAMPLES, LONG_EXPORT]


def _ids(path: Path) -> str:
    return path.parent.name[:12] + "/" + path.stem[-40:]


def _same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    columns = [c for c in ours.columns if c != "_source_file"]
    pd.testing.assert_frame_equal(
        ours[columns].reset_index(drop=True), theirs[columns].reset_index(drop=True)
    )


def _copy_name(tmp_path: Path, source: Path, suffix: str = ".csv") -> Path:
    return tmp_path / (source.stem + suffix)  # keeps the year a download's name carries


@pytest.mark.parametrize("source", SAMPLES, ids=_ids)
@pytest.mark.parametrize(
    "how",
    [
        {"bom": True},
        {"bom": False},
        {"newline": "\r\n"},
        {"final_newline": False},
        {"bom": True, "newline": "\r\n"},
    ],
    ids=["bom", "no_bom", "crlf", "no_final_newline", "bom_crlf"],
)
def test_byte_level_variants(source: Path, how: dict, tmp_path: Path):
    delimiter = ";" if source == LONG_EXPORT else ","
    copy = write_csv(_copy_name(tmp_path, source), grid_rows(source), delimiter=delimiter, **how)
    _same(read_bps_table(copy), read_bps_table(source))


@pytest.mark.parametrize("source", SAMPLES, ids=_ids)
def test_saved_as_xlsx(source: Path, tmp_path: Path):
    _same(
        read_bps_table(write_xlsx(_copy_name(tmp_path, source, ".xlsx"), grid_rows(source))),
        read_bps_table(source),
    )


@pytest.mark.parametrize("source", GRID_SAMPLES, ids=_ids)
def test_saved_by_indonesian_excel_with_semicolons_and_decimal_commas(source: Path, tmp_path: Path):
    copy = write_csv(_copy_name(tmp_path, source), with_decimal_comma(grid_rows(source)), delimiter=";")
    assert ",05" in copy.read_text() or ".2" in copy.read_text()
    _same(read_bps_table(copy), read_bps_table(source))


@pytest.mark.parametrize("source", GRID_SAMPLES, ids=_ids)
def test_a_keterangan_footer_is_not_data(source: Path, tmp_path: Path):
    rows = grid_rows(source)
    footer = ["Keterangan: Susenas September 2020 tidak dilaksanakan karena pandemi COVID-19", *[""] * 3]
    copy = write_csv(_copy_name(tmp_path, source), [*rows, [""] * 3, footer, ["Sumber: BPS"]])
    _same(read_bps_table(copy), read_bps_table(source))


@pytest.mark.parametrize(
    "source", [P0_KABKOTA_2022, P0_MULTI_YEAR, P0_PROVINCE_2022, GK_PROVINCE_2024], ids=_ids
)
def test_another_year_of_the_same_layout(source: Path, tmp_path: Path):
    copy = write_csv(tmp_path / "another year.csv", relabel_years(grid_rows(source), 7))
    theirs = read_bps_table(source)
    _same(read_bps_table(copy), theirs.assign(year=theirs.year + 7))


def test_another_year_of_the_semester_columns_layout_takes_it_from_the_name(tmp_path: Path):
    copy = tmp_path / "Jumlah dan Persentase Penduduk Miskin Menurut Provinsi, 2016.csv"
    copy.write_bytes(SEMESTER_COLUMNS_2021.read_bytes())
    theirs = read_bps_table(SEMESTER_COLUMNS_2021)
    _same(read_bps_table(copy), theirs.assign(year=2016).astype({"year": "Int64"}))


def test_a_survey_round_missing(tmp_path: Path):
    """September not surveyed: every September cell '-' (as BPS writes it); the March figures stay."""
    rows = grid_rows(P0_PROVINCE_2022)
    periods = rows[4]
    september = {i for i, label in enumerate(periods) if "September" in label}
    blank = [
        [("-" if i in september and index > 4 else cell) for i, cell in enumerate(row)]
        for index, row in enumerate(rows)
    ]
    table = read_bps_table(write_csv(tmp_path / "no september.csv", blank))
    theirs = read_bps_table(P0_PROVINCE_2022)
    assert set(table.period) == {"S1"}
    _same(table, theirs[theirs.period.eq("S1")])


def test_a_survey_round_missing_in_the_semester_columns_layout(tmp_path: Path):
    rows = grid_rows(SEMESTER_COLUMNS_2021)  # September is already '...' everywhere in 2021
    table = read_bps_table(
        write_csv(tmp_path / "Jumlah dan Persentase Penduduk Miskin Menurut Provinsi, 2021.csv", rows)
    )
    assert set(table.period) == {"S1"} and value(table, 5300, 2021, "P0", semester=1) == 20.99


@pytest.mark.parametrize(
    ("part", "indicator"), [("Makanan", "POVERTY_LINE_FOOD"), ("Bukan Makanan", "POVERTY_LINE_NONFOOD")]
)
def test_food_and_non_food_poverty_lines(part: str, indicator: str, tmp_path: Path):
    table = read_bps_table(poverty_line_part_table(tmp_path, part))
    assert set(table.indicator) == {indicator} and set(table.unit) == {"rupiah per capita per month"}
    assert set(table.layout) == {"area_by_period"} and set(table.breakdown) == {"urban", "rural"}
    assert value(table, 5300, 2024, indicator, semester=1, area_type="urban") == 638261  # the cell's value
    assert table.bps_code.nunique() == 39
