import pytest

from ingest.regions import PROVINCE_BPS_CODE, bps_code_for_area, load_regencies


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


def test_unknown_and_other_province_names_have_no_code():
    assert bps_code_for_area("Kota Mataram") is None
    assert bps_code_for_area("NUSA TENGGARA BARAT") is None
