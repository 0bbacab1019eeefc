from pathlib import Path

import pytest

from ingest.bps.multi_year_csv import parse_multi_year_csv
from ingest.errors import SourceFileError
from ingest.paths import BUNDLED_DATA_DIR
from tests.conftest import P0_FILE, POOR_COUNT_FILE


def _value(table, area, year, indicator):
    rows = table[(table.area_name == area) & (table.year == year) & (table.indicator == indicator)]
    return None if rows.empty else float(rows.value.iloc[0])


def test_p0_file_reads_every_value_bps_published():
    table = parse_multi_year_csv(BUNDLED_DATA_DIR / P0_FILE)
    # 23 areas x 22 years, less the 31 cells BPS marks '-' for areas not yet formed.
    assert len(table) == 23 * 22 - 31
    assert set(table.indicator) == {"P0"}
    assert set(table.unit) == {"percent"}
    assert table.bps_code.notna().all()
    assert _value(table, "NUSA TENGGARA TIMUR", 2022, "P0") == 20.05
    assert _value(table, "Sumba Tengah", 2023, "P0") == 31.78
    assert _value(table, "Malaka", 2014, "P0") is None
    assert table[table.area_name == "Kota Kupang"].bps_code.iloc[0] == 5371


def test_poor_count_file_detects_indicator_from_title():
    table = parse_multi_year_csv(BUNDLED_DATA_DIR / POOR_COUNT_FILE)
    assert set(table.indicator) == {"POOR_COUNT"}
    assert set(table.unit) == {"thousand people"}
    assert _value(table, "NUSA TENGGARA TIMUR", 2022, "POOR_COUNT") == 1131.62
    assert _value(table, "NUSA TENGGARA TIMUR", 2013, "POOR_COUNT") is None


def test_rows_carry_their_source_file_and_line():
    table = parse_multi_year_csv(BUNDLED_DATA_DIR / P0_FILE)
    sumba_barat = table[table.area_name == "Sumba Barat"]
    assert set(sumba_barat._source_row) == {4}
    assert set(table._source_file) == {"data/" + P0_FILE.as_posix()}


def test_only_the_ntt_block_of_a_national_file_is_kept(tmp_path: Path):
    lines = (BUNDLED_DATA_DIR / P0_FILE).read_text().splitlines()
    national = [
        *lines[:2],
        "NUSA TENGGARA BARAT," + ",".join(["15.0"] * 22),
        "Lombok Barat," + ",".join(["16.0"] * 22),
        *lines[2:],
        "MALUKU," + ",".join(["17.0"] * 22),
        "Ambon," + ",".join(["5.0"] * 22),
    ]
    path = tmp_path / "national.csv"
    path.write_text("\n".join(national) + "\n")
    table = parse_multi_year_csv(path)
    assert len(table) == 23 * 22 - 31
    assert not set(table.area_name) & {"Lombok Barat", "Ambon", "MALUKU"}


def test_unknown_area_in_the_ntt_block_keeps_a_null_code_for_the_gate(tmp_path: Path):
    text = (BUNDLED_DATA_DIR / P0_FILE).read_text().replace("Sumba Barat,", "Sumba Baratt,", 1)
    path = tmp_path / "typo.csv"
    path.write_text(text)
    table = parse_multi_year_csv(path)
    assert table[table.area_name == "Sumba Baratt"].bps_code.isna().all()


def test_non_numeric_value_names_file_and_row(tmp_path: Path):
    text = (BUNDLED_DATA_DIR / P0_FILE).read_text().replace("42.04", "42.04x", 1)
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(SourceFileError, match=r"bad\.csv, row 4: value '42.04x' is not a number"):
        parse_multi_year_csv(path)


def test_comma_decimal_shifting_a_row_is_refused(tmp_path: Path):
    text = (BUNDLED_DATA_DIR / P0_FILE).read_text().replace("Sumba Timur,40.32,", "Sumba Timur,40,32,", 1)
    path = tmp_path / "shifted.csv"
    path.write_text(text)
    with pytest.raises(SourceFileError, match=r"row 5: row has 1 value\(s\) more than the 22 year columns"):
        parse_multi_year_csv(path)


def test_wrong_encoding_is_reported(tmp_path: Path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((BUNDLED_DATA_DIR / P0_FILE).read_bytes().replace(b"Sumba Barat", b"Sumba B\xe4rat", 1))
    with pytest.raises(SourceFileError, match="not UTF-8"):
        parse_multi_year_csv(path)


def test_a_file_of_another_layout_is_refused(tmp_path: Path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    with pytest.raises(SourceFileError, match="not a BPS multi-year table"):
        parse_multi_year_csv(path)
