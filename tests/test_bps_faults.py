"""Broken BPS files are refused with the file, the row and the reason, for a person to act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.bps import looks_like_bps_table, read_bps_table
from store.errors import SourceFileError
from tests.bps_files import (
    GK_ONE_YEAR_2024,
    LONG_EXPORT,
    P0_KABKOTA_2022,
    P0_PROVINCE_2022,
    SEMESTER_COLUMNS_2021,
    SHIFTED_ROW_2018,
    TABEL_DINAMIS_P1_2021,
    value,
)


def _doctored(tmp_path: Path, source: Path, old: str, new: str, name: str | None = None) -> Path:
    text = source.read_bytes().decode("utf-8")
    assert old in text, old
    path = tmp_path / (name or source.name)
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    return path


NTT_2022 = "NUSA TENGGARA TIMUR,8.84,9,-,23.86,24.11,-,20.05,20.23,-"
P1_TITLE = '"Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten/Kota";"Tidak Ada";2023'
CASES = [
    (P0_PROVINCE_2022, "TIMUR,8.84,", "TIMUR,8.84*,", r"row 24: value '8\.84\*' is not a number"),
    (P0_PROVINCE_2022, NTT_2022 + "\n", "", r"row 43: a national table without Nusa Tenggara Timur"),
    (
        P0_PROVINCE_2022,
        NTT_2022,
        NTT_2022 + "\n" + NTT_2022,
        r"row 25: 'NUSA TENGGARA TIMUR' appears twice for P0 2022 semester 1 urban \(rows 24 and 25\)",
    ),
    (
        P0_PROVINCE_2022,
        "NUSA TENGGARA TIMUR,",
        "NUSA TENGGARA TENGAH,",
        r"row 24: 'NUSA TENGGARA TENGAH' is neither",
    ),
    (
        P0_PROVINCE_2022,
        "ACEH,10.31,10.35,-,16.87",
        "ACEH,10.31,10.35,-,16.87,1",
        r"row 6: row has 1 value\(s\) more than the 9 labelled column\(s\)",
    ),
    (
        P0_PROVINCE_2022,
        ",2022,,,2022,,,2022,,",
        ",2022,,,Tahunan,,,2022,,",
        r"header row 4: expected a year, found '2022', 'Tahunan'",
    ),
    (
        P0_PROVINCE_2022,
        ",Jumlah,,",
        ",Kota Besar,,",
        r"header row 3: expected daerah labels \(Perkotaan, Perdesaan, Jumlah\), "
        r"found 'Perkotaan', 'Perdesaan', 'Kota",
    ),
    (
        P0_KABKOTA_2022,
        "Sumba Barat,27.47",
        "Sumba Utara,27.47",
        r"row 315: 'Sumba Utara' is no kab/kota of Nusa Tenggara",
    ),
    (
        P0_KABKOTA_2022,
        "Sumba Barat,27.47",
        "Sumba Barat,27.47\nSumba Barat,27.47",
        r"row 316: 'Sumba Barat' appears twice for P0 2022 total \(rows 315 and 316\)",
    ),
    (P0_KABKOTA_2022, "Lombok Barat,", "Kupang,", r"'Kupang' is no kab/kota of Nusa Tenggara Barat"),
    (P0_KABKOTA_2022, "Simeulue,18.37", ",18.37", r"row 5: a row of values without an area name"),
    (P0_KABKOTA_2022, "ACEH,14.64", "Simeulue,14.64", r"row 4: 'Simeulue' is no province in the reference"),
    (
        GK_ONE_YEAR_2024,
        ",2024",
        ",Tahunan",
        r"header row 3: expected a year, found 'Tahunan'",
    ),
    (
        GK_ONE_YEAR_2024,
        "Garis Kemiskinan Menurut Kabupaten/Kota (Rupiah/kapita/bulan)",
        "Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Rupiah/kapita/bulan)",
        r"header row 2: the title names P0 \(in percent\) but gives its unit as "
        r"'rupiah per capita per month'",
    ),
    (
        SEMESTER_COLUMNS_2021,
        "Nusa Tenggara Timur,",
        "Nusa Tenggara,",
        r"row 20: 'Nusa Tenggara' is neither Indonesia",
    ),
    (
        SEMESTER_COLUMNS_2021,
        "Persentase Penduduk Miskin - September",
        "Persentase Penduduk Miskin",
        r"header row 1, column 7: expected a survey month \(Maret or September\)",
    ),
    (LONG_EXPORT, ";2.76;ACEH", ";2,7x;ACEH", r"row 2: value '2,7x' is not a number"),
    (
        LONG_EXPORT,
        P1_TITLE,
        P1_TITLE.replace(";2023", ";2O23"),
        r"row 2: nama_tahun '2O23' is not a year",
    ),
    (
        TABEL_DINAMIS_P1_2021,
        ">Simeulue<",
        ">Simeulue Barat<",
        r"row 2: 'Simeulue Barat' is no kab/kota of Aceh",
    ),
]


@pytest.mark.parametrize(
    ("source", "old", "new", "message"), CASES, ids=[f"{i:02d}" for i in range(len(CASES))]
)
def test_broken_files_are_refused_with_row_and_reason(
    tmp_path: Path, source: Path, old: str, new: str, message: str
):
    path = _doctored(tmp_path, source, old, new)
    with pytest.raises(SourceFileError, match=message) as raised:
        read_bps_table(path)
    assert str(raised.value).startswith(str(path)), str(raised.value)  # the file, then the row and the cause


def test_a_national_semester_table_missing_a_province(tmp_path: Path):
    maluku = next(
        line for line in SEMESTER_COLUMNS_2021.read_text().splitlines() if line.startswith("Maluku,")
    )
    path = _doctored(tmp_path, SEMESTER_COLUMNS_2021, maluku + "\n", "")
    with pytest.raises(
        SourceFileError, match=r"row 35: a national table without Maluku \(expected every province of 2021\)"
    ):
        read_bps_table(path)


def test_the_year_of_a_semester_columns_table_must_be_somewhere(tmp_path: Path):
    path = tmp_path / "kemiskinan provinsi.csv"
    path.write_bytes(SEMESTER_COLUMNS_2021.read_bytes())
    with pytest.raises(SourceFileError, match="no year: this table carries none"):
        read_bps_table(path)


def test_a_table_of_dashes_holds_no_values(tmp_path: Path):
    lines = GK_ONE_YEAR_2024.read_text(encoding="utf-8-sig").splitlines()
    blank = [line if index < 3 else line.split(",")[0] + ",-" for index, line in enumerate(lines)]
    path = tmp_path / "blank.csv"
    path.write_text("\n".join(blank))
    with pytest.raises(SourceFileError, match="holds no values"):
        read_bps_table(path)


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (b"wilayah,tahun\nNTT,2022\n", ".csv", "matches no BPS table layout we know"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".csv", "binary Excel 97-2003"),
        (b"PK\x03\x04 not really a workbook", ".xlsx", "not a readable XLSX workbook"),
        (b"", ".csv", "matches no BPS table layout we know"),
    ],
    ids=["other_csv", "binary_xls", "broken_xlsx", "empty"],
)
def test_files_that_are_no_bps_table(tmp_path: Path, content: bytes, suffix: str, message: str):
    path = tmp_path / f"download{suffix}"
    path.write_bytes(content)
    with pytest.raises(SourceFileError, match=message):
        read_bps_table(path)


def test_a_real_download_with_a_shifted_row_reads_and_is_left_to_the_quality_gate():
    """2018's Indonesia row lost a cell: its P0 March reads 25674.58 (the September number poor).

    The row is well-formed, so the reader keeps what it says; the raw suite stops it (test_raw_bps_suite).
    """
    table = read_bps_table(SHIFTED_ROW_2018)
    assert value(table, 0, 2018, "P0", semester=1) == 25674.58
    assert value(table, 5300, 2018, "P0", semester=1) == 21.35


def test_the_landing_folder_sniff(tmp_path: Path):
    assert looks_like_bps_table(P0_KABKOTA_2022) and looks_like_bps_table(TABEL_DINAMIS_P1_2021)
    pdf = tmp_path / "RAT 2024.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    json = tmp_path / "bps-webapi_d0000_v621_20260101T000000Z.json"
    json.write_text('{"status": "OK"}')
    disguised = tmp_path / "response.csv"
    disguised.write_text('{"status": "OK"}')
    assert not any(looks_like_bps_table(p) for p in (pdf, json, disguised))
