import csv

import pytest

from ingest.regions import (
    PROVINCE_BPS_CODE,
    area_by_code,
    bps_code_for_area,
    is_ntt_province_name,
    kabkota_code_for_name,
    load_bps_areas,
    load_regencies,
    province_code_for_name,
)
from store.paths import BUNDLED_DATA_DIR

SOURCES = BUNDLED_DATA_DIR / "reference" / "sources" / "sig-bps-bridging-2020"


def test_reference_has_22_areas_with_distinct_codes():
    regencies = load_regencies()
    assert len(regencies) == 22
    assert len({r.bps_code for r in regencies}) == 22
    assert len({r.kemendagri_code for r in regencies}) == 22


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Kupang", 5303),
        ("Kab. Kupang", 5303),
        ("KABUPATEN KUPANG", 5303),
        ("Kota Kupang", 5371),
        ("TTS", 5304),
        ("kab. TTU", 5305),
        ("SBD", 5317),
        ("Sumba  Barat\u00a0Daya", 5317),
        ("NUSA TENGGARA TIMUR", PROVINCE_BPS_CODE),
        ("Malaka", 5321),
    ],
)
def test_area_names_match_bps_codes(spelling, code):
    assert bps_code_for_area(spelling) == code


def test_without_a_province_kabkota_names_are_ntt_ones_and_provinces_are_national():
    assert bps_code_for_area("Kota Mataram") is None  # a kab/kota elsewhere needs its province
    assert bps_code_for_area("Kota Mataram", 5200) == 5271
    assert bps_code_for_area("NUSA TENGGARA BARAT") == 5200
    assert bps_code_for_area("INDONESIA") == 0
    assert is_ntt_province_name("Nusa Tenggara Timur") and not is_ntt_province_name("NUSA TENGGARA BARAT")


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("KEP. BANGKA BELITUNG", 1900),
        ("Kepulauan Bangka Belitung", 1900),
        ("D I YOGYAKARTA", 3400),
        ("DI YOGYAKARTA", 3400),
        ("DI Yogyakarta", 3400),
        ("KEP. RIAU", 2100),
        ("Nusa Tenggara Timur", 5300),
        ("PAPUA PEGUNUNGAN", 9700),
        ("Indonesia", 0),
    ],
)
def test_province_spellings_bps_uses(spelling, code):
    assert province_code_for_name(spelling) == code


@pytest.mark.parametrize(
    ("name", "province", "code"),
    [
        ("Kupang", 5300, 5303),
        ("Kota Kupang", 5300, 5371),
        ("Bima", 5200, 5206),
        ("Kota Bima", 5200, 5272),
        ("Gorontalo", 7500, 7502),
        ("Kota Baru", 6300, 6302),  # the kabupaten Kotabaru, printed like a city
        ("Karang Asem", 5100, 5107),
        ("S I A K", 1400, 1405),
        ("Nduga *", 9700, 9429),
        ("Nduga", 9400, 9429),  # Papua before the 2022 split
        ("Kota Sorong", 9200, 9171),
        ("Maluku Tenggara Barat", 8100, 8101),  # renamed Kepulauan Tanimbar
        ("Pontianak", 6100, 6104),  # renamed Mempawah
    ],
)
def test_kabkota_names_are_resolved_within_their_province(name, province, code):
    assert kabkota_code_for_name(name, province) == code


def test_a_name_in_the_wrong_province_is_not_placed():
    assert kabkota_code_for_name("Kupang", 5200) is None
    assert kabkota_code_for_name("Merauke", 9100) is None


def test_the_references_cover_the_country():
    areas = load_bps_areas()
    levels = [a.level for a in areas]
    assert levels.count("country") == 1 and levels.count("province") == 38 and levels.count("kabkota") == 514
    provinces = {a.bps_code for a in areas if a.level == "province"}
    assert all(a.province_bps_code in provinces for a in areas if a.level == "kabkota")
    assert all(a.bps_code % 100 == 0 for a in areas if a.level == "province")


def test_kabkota_codes_are_the_bps_list_s():
    """Every code and name of the BPS bridging list, nothing else (see data/reference/SOURCE.md)."""
    with (SOURCES / "kabkota.csv").open(newline="", encoding="utf-8") as handle:
        listed = {int(row["kode_bps"]): row["nama_bps"] for row in csv.DictReader(handle)}
    ours = {a.bps_code: a for a in load_bps_areas() if a.level == "kabkota"}
    assert set(ours) == set(listed)
    for code, listed_name in listed.items():
        area = ours[code]
        is_city = code % 100 >= 71
        assert area.name.startswith("Kota ") == is_city or code == 6302, area
        if not is_city:
            assert kabkota_code_for_name(listed_name, area.province_bps_code) == code


def test_ntt_agrees_with_the_ntt_reference():
    ntt = {r.bps_code: (r.name, r.formed_year) for r in load_regencies()}
    national = {
        a.bps_code: (a.name, a.formed_year)
        for a in load_bps_areas()
        if a.province_bps_code == PROVINCE_BPS_CODE
    }
    assert national == {**ntt, PROVINCE_BPS_CODE: ("Nusa Tenggara Timur", 1958)}
    assert area_by_code()[5371].level == "kabkota"
