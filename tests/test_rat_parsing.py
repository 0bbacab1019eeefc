import pytest

from ingest.rat.funding import funding_source_codes
from ingest.rat.locations import resolve_location
from ingest.rat.numbers import parse_rupiah, parse_target

ALL_22 = tuple(sorted([*range(5301, 5322), 5371]))


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("113,455,810,589", 113_455_810_589),
        ("Rp 1.900.029.860,00", 1_900_029_860),
        ("15.000.000", 15_000_000),
        ("1,015,000,00 0", 1_015_000_000),
        ("", None),
        ("-", None),
        # Amounts in words (issue 23): the word multiplies the number, which may carry a decimal comma.
        ("Rp 2,5 Miliar", 2_500_000_000),
        ("Rp 350 juta", 350_000_000),
        ("Rp. 2.5 milyar", 2_500_000_000),
        ("1,5 triliun", 1_500_000_000_000),
        ("750 ribu", 750_000),
        ("1.250 juta", 1_250_000_000),
        ("Rp 350.000.000,-", 350_000_000),
        ("113,455,810, 589", 113_455_810_589),
        # Text that is not one whole amount is none: the first run of digits is not an amount.
        ("2023: 1.000.000", None),
        ("<script>alert(6)</script>", None),
        ("1.000.000 + 2.000.000", None),
        ("2023 1000000", None),
        ("1,312,504090", None),
        ("4000,000,000", None),
        ("Rp 1,2345 ribu", None),
        ("1.900.029.860.00", None),
        ("12%", None),
    ],
)
def test_rupiah(text, rupiah):
    assert parse_rupiah(text) == rupiah


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("14,2%", 14.2, "%"),
        ("2.800 KUBE", 2800.0, "KUBE"),
        ("20,33% (21 kW)", 20.33, "%"),
        ("100%", 100.0, "%"),
        ("1 paket", 1.0, "paket"),
        ("2.5 km", 2.5, "km"),
        ("Korban Bencana Alam 200 orang", None, None),
    ],
)
def test_targets(text, value, unit):
    target = parse_target(text)
    assert (target.value, target.unit, target.raw) == (value, unit, text)


@pytest.mark.parametrize(
    ("text", "scope", "codes"),
    [
        ("22 kab/kota", "regencies", ALL_22),
        ("21 Kabupaten dan Kota Kupang", "regencies", ALL_22),
        ("Semua Kab/Kota", "regencies", ALL_22),
        ("seluruh kabupaten/kota", "regencies", ALL_22),
        ("Prov, 22 kab/kota", "province+regencies", ALL_22),
        ("Prov. NTT", "province", ()),
        ("Kab. Kupang", "regencies", (5303,)),
        ("Kota Kupang", "regencies", (5371,)),
        ("Kota Kupang dan Kab. Sikka", "regencies", (5310, 5371)),
        ("KAB. TTS, kab. TTU dan SBD", "regencies", (5304, 5305, 5317)),
        ("Kab. Sumba Barat Daya", "regencies", (5317,)),
        ("Kab terpilih", "unspecified", ()),
        ("", "none", ()),
    ],
)
def test_locations(text, scope, codes):
    location = resolve_location(text)
    assert (location.scope, location.bps_codes) == (scope, codes)


def test_funding_sources():
    assert funding_source_codes("Pendapatan Asli Daerah (PAD)") == ["PAD"]
    assert funding_source_codes("APBD dan APBN") == ["APBD", "APBN"]
    assert funding_source_codes("DAK Fisik") == ["DAK"]
    assert funding_source_codes("Dana Desa") == ["DD"]
    assert funding_source_codes("Swadaya masyarakat") == ["OTHER"]
    assert funding_source_codes("") == []
