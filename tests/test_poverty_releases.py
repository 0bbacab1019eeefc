"""Extreme poverty from the release figures: producers kept, units normalised, contradictions flagged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ingest.bps import looks_like_bps_table, read_bps_table
from ingest.releases.extreme_poverty import (
    RELEASE_COLUMNS,
    RELEASE_DTYPES,
    looks_like_poverty_release_table,
    read_poverty_release_table,
)
from store.errors import SourceFileError
from store.paths import BUNDLED_DATA_DIR
from tests.bps_files import P0_KABKOTA_2022

RELEASES = BUNDLED_DATA_DIR / "releases" / "ntt_extreme_poverty_from_releases.csv"


@pytest.fixture(scope="module")
def table():
    return read_poverty_release_table(RELEASES)


def _one(table, name, year, indicator):
    rows = table[(table.area_name == name) & (table.year == year) & (table.indicator == indicator)]
    assert len(rows) == 1, (name, year, indicator)
    return rows.iloc[0]


def test_every_figure_reads_with_its_producer_and_page(table):
    assert list(table.columns) == RELEASE_COLUMNS and table.dtypes.astype(str).to_dict() == RELEASE_DTYPES
    assert len(table) == 62 and table._source_row.tolist() == list(range(2, 64))
    assert set(table.indicator) == {"P0_EXTREME", "POOR_EXTREME_COUNT", "POOR_EXTREME_HOUSEHOLDS"}
    assert table.producer.notna().all() and table.source_url.str.startswith("https://").all()
    ntt = _one(table, "Nusa Tenggara Timur", 2022, "P0_EXTREME")
    assert (ntt.bps_code, ntt.area_level, ntt.value, ntt.unit) == (5300, "province", 6.56, "percent")
    assert ntt.producer == "Kemenko PMK estimasi (surat 26 Feb 2024)"
    assert (
        _one(table, "Manggarai Barat", 2022, "P0_EXTREME").producer
        == "Kepala BPS Kab. Manggarai Barat (press)"
    )


def test_counts_are_in_thousand_people_whatever_the_page_printed(table):
    assert _one(table, "Nusa Tenggara Timur", 2022, "POOR_EXTREME_COUNT").value == 370.46  # "ribu jiwa"
    sumba_timur = _one(table, "Sumba Timur", 2021, "POOR_EXTREME_COUNT")  # 45550 "jiwa"
    assert (sumba_timur.value, sumba_timur.unit) == (45.55, "thousand people")
    households = _one(table, "5 kabupaten prioritas NTT", 2021, "POOR_EXTREME_HOUSEHOLDS")
    assert (households.value, households.unit) == (89410, "households")


def test_areas_get_bps_codes_within_ntt(table):
    codes = dict(zip(table.area_name, table.bps_code, strict=True))
    assert codes["Kupang"] == 5303 and codes["Kota Kupang"] == 5371 and codes["Sumba Tengah"] == 5316
    group = _one(table, "5 kabupaten prioritas NTT", 2021, "POOR_EXTREME_COUNT")
    assert group.bps_code is pd.NA and (group.area_level, group.province_bps_code) == (
        "kabkota_group",
        5300,
    )


def test_caveats_are_carried_and_contradictions_flagged_not_fixed(table):
    alor = _one(table, "Alor", 2022, "P0_EXTREME")
    assert alor.value == 2.38 and "typo for 2022" in alor.notes
    group = _one(table, "5 kabupaten prioritas NTT", 2021, "POOR_EXTREME_COUNT")
    assert group.value == 212.672  # as published
    assert "FLAG: the 5 areas of the same page sum to 215.9 thousand people, not 212.672" in group.notes
    ttu = _one(table, "Timor Tengah Utara", 2022, "P0_EXTREME")
    assert "imply 133 thousand people in 2022, 262 thousand in 2023" in ttu.notes
    flagged = table[table.notes.str.contains("FLAG", na=False)]
    assert sorted(set(flagged.area_name)) == ["5 kabupaten prioritas NTT", "Timor Tengah Utara"]


def test_the_same_figure_from_two_pages_that_disagree_is_flagged(tmp_path: Path):
    lines = RELEASES.read_text().splitlines()
    again = (
        lines[1]
        .replace("6.56", "6.65")
        .replace("Kemenko PMK estimasi (surat 26 Feb 2024)", "Dinas Sosial NTT")
    )
    path = tmp_path / "releases.csv"
    path.write_text("\n".join([*lines, again]) + "\n")
    flagged = read_poverty_release_table(path)
    ntt = flagged[(flagged.bps_code == 5300) & (flagged.year == 2022) & (flagged.indicator == "P0_EXTREME")]
    assert sorted(ntt.value.astype(float)) == [6.56, 6.65]
    assert "FLAG: row 64 (Dinas Sosial NTT) gives 6.65 percent" in ntt[ntt.value == 6.56].notes.iloc[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "Sumba Barat,2022,P0_ekstrem,11.75",
            "Sumba Utara,2022,P0_ekstrem,11.75",
            "row 6: 'Sumba Utara' is no kab/kota",
        ),
        ("Sumba Barat,2022,P0_ekstrem,11.75", "Sumba Barat,2022,P0_ekstrem,11,75", "row 6: satuan '75'"),
        (
            "Sumba Barat,2022,P0_ekstrem,11.75",
            "Sumba Barat,2022,P0_ekstrem,n/a",
            "row 6: nilai 'n/a' is not a number",
        ),
        ("11.75,persen", "11.75,ribu jiwa", "row 6: satuan 'ribu jiwa' is no unit for P0_EXTREME"),
        (
            "Sumba Barat,2022,P0_ekstrem",
            "Sumba Barat,2022,IPM",
            "row 6: indikator 'IPM' is no extreme-poverty",
        ),
        ("wilayah,tahun", "daerah,tahun", "row 1: not an extreme-poverty release table: no column wilayah"),
    ],
    ids=["unknown_area", "shifted", "not_a_number", "wrong_unit", "unknown_indicator", "no_wilayah"],
)
def test_broken_rows_are_refused_with_row_and_reason(tmp_path: Path, old: str, new: str, message: str):
    text = RELEASES.read_text()
    assert old in text
    path = tmp_path / "releases.csv"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(SourceFileError, match=message):
        read_poverty_release_table(path)


def test_the_release_table_is_routed_to_its_own_reader():
    assert looks_like_poverty_release_table(RELEASES) and not looks_like_bps_table(RELEASES)
    assert not looks_like_poverty_release_table(P0_KABKOTA_2022) and looks_like_bps_table(P0_KABKOTA_2022)
    with pytest.raises(SourceFileError, match="matches no BPS table layout"):
        read_bps_table(RELEASES)
