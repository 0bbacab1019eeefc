"""The WebAPI client over real HTTP against a local replay server, and the decoder on its answers."""

import json
from pathlib import Path

import pytest

from ingest.bps import OBSERVATION_COLUMNS, read_bps_table
from ingest.bps.webapi import (
    BpsWebApiClient,
    WebApiError,
    WebApiRequest,
    latest_saved_responses,
    parse_response,
)
from store.errors import SourceFileError
from tests.webapi_replay import p0_response, replay_server

KEY = "s3cr3t-key"
REQUEST = WebApiRequest(domain="0000", variable=621)


def _client(base_url: str, save_dir: Path, **options) -> BpsWebApiClient:
    waits: list[float] = []
    client = BpsWebApiClient(
        KEY, save_dir, base_url=base_url, timeout=0.5, retries=4, sleep=waits.append, **options
    )
    client.waits = waits
    return client


def _value(table, code, year):
    rows = table[(table.bps_code == code) & (table.year == year)]
    return None if rows.empty else float(rows.value.iloc[0])


def test_retries_429_500_and_a_timeout_then_saves_and_decodes(tmp_path: Path):
    answers = [("status", 429), ("status", 500), ("sleep", 1.5), ("json", p0_response())]
    with replay_server(answers) as (base_url, script):
        client = _client(base_url, tmp_path)
        saved = client.fetch(REQUEST)

    assert len(script.requests) == 4
    assert script.requests[0].endswith(f"/domain/0000/var/621/key/{KEY}/")
    assert client.waits == [2.0, 4.0, 8.0]  # exponential backoff between attempts
    assert saved.parent == tmp_path and KEY not in saved.name
    assert json.loads(saved.read_text())["status"] == "OK"

    table = parse_response(saved)
    assert _value(table, 5316, 2023) == 31.78  # Sumba Tengah, sent as a number
    assert _value(table, 5300, 2022) == 20.05  # the province, sent as a string
    assert _value(table, 5321, 2022) is None  # '-' for Malaka
    assert _value(table, 5201, 2023) == 15.0  # every area of a national response is kept
    assert set(table.indicator) == {"P0"} and set(table.unit) == {"percent"}
    assert set(table.layout) == {"webapi"} and set(table.breakdown) == {"total"}
    assert len(table) == 24 * 3 - 1
    province = table[table.bps_code == 5300].iloc[0]
    assert (province.area_level, province.province_bps_code) == ("province", 5300)
    regency = table[table.bps_code == 5316].iloc[0]
    assert (regency.area_level, regency.province_bps_code, regency.area_name) == (
        "kabkota",
        5300,
        "Sumba Tengah",
    )


def test_gives_up_after_the_last_retry_without_leaking_the_key(tmp_path: Path):
    with replay_server([("status", 503)]) as (base_url, script):
        client = _client(base_url, tmp_path)
        with pytest.raises(WebApiError) as raised:
            client.fetch(REQUEST)
    assert len(script.requests) == 5
    assert "HTTP 503" in str(raised.value) and "after 5 attempts" in str(raised.value)
    assert KEY not in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_client_errors_are_not_retried(tmp_path: Path):
    with replay_server([("status", 404)]) as (base_url, script), pytest.raises(WebApiError, match="HTTP 404"):
        _client(base_url, tmp_path).fetch(REQUEST)
    assert len(script.requests) == 1


def test_malformed_json_is_never_saved_and_refused_by_the_parser(tmp_path: Path):
    cut = '{"status": "OK", "datacontent": {"5316'
    with replay_server([("raw", cut)]) as (base_url, _), pytest.raises(WebApiError, match="not whole JSON"):
        _client(base_url, tmp_path).fetch(REQUEST)  # an answer cut short never becomes the latest (issue 23)
    assert list(tmp_path.iterdir()) == []
    saved = tmp_path / "bps-webapi_d0000_v621_20260101T000000Z.json"
    saved.write_text(cut)
    with pytest.raises(SourceFileError, match="malformed JSON"):
        parse_response(saved)


def test_unavailable_data_is_refused(tmp_path: Path):
    path = tmp_path / "bps-webapi_d0000_v621_20260101T000000Z.json"
    path.write_text(json.dumps({"status": "OK", "data-availability": "list-not-available"}))
    with pytest.raises(SourceFileError, match="no data"):
        parse_response(path)


def test_keys_are_built_from_catalogues_not_split(tmp_path: Path):
    # Two-digit turtahun values make keys of different widths; splitting strings would misread them.
    payload = p0_response(years=(2023,))
    payload["turtahun"] = [{"val": 1, "label": "Semester 1 (Maret)"}, {"val": 13, "label": "Tahunan"}]
    payload["datacontent"] = {"53006210123" + "1": 19.96, "53006210123" + "13": "20.5"}
    path = tmp_path / "bps-webapi_d0000_v621_20260101T000000Z.json"
    path.write_text(json.dumps(payload))
    table = parse_response(path)
    assert sorted(zip(table.period, table.value, strict=True)) == [("S1", 19.96), ("annual", 20.5)]


def _saved(tmp_path: Path, payload: dict) -> Path:
    path = tmp_path / "bps-webapi_d0000_v621_20260101T000000Z.json"
    path.write_text(json.dumps(payload))
    return path


def test_indonesia_provinces_and_urban_rural_turvars(tmp_path: Path):
    payload = p0_response(years=(2022,))
    payload["vervar"] = [{"val": 9999, "label": "INDONESIA"}, {"val": 5300, "label": "Nusa Tenggara Timur"}]
    payload["turvar"] = [{"val": 1, "label": "Perkotaan"}, {"val": 2, "label": "Perdesaan"}]
    payload["turtahun"] = [{"val": 1, "label": "Semester 1 (Maret)"}]
    payload["datacontent"] = {"999962111221": 7.5, "530062111221": "9.06", "530062121221": 24.8}
    table = parse_response(_saved(tmp_path, payload))
    rows = sorted(zip(table.bps_code, table.breakdown, table.period, table.value, strict=True))
    assert rows == [(0, "urban", "S1", 7.5), (5300, "rural", "S1", 24.8), (5300, "urban", "S1", 9.06)]
    assert table[table.bps_code == 0].area_level.iloc[0] == "country"


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ({"val": 5322, "label": "Sumba Utara"}, "region code 5322 .* is not in the BPS area reference"),
        (
            {"val": 5301, "label": "Sumba Timur"},
            "region code 5301 is 'Sumba Timur' in the response but 'Sumba Barat'",
        ),
    ],
    ids=["unknown_code", "label_disagrees"],
)
def test_vervar_codes_are_checked_against_the_reference(tmp_path: Path, region: dict, message: str):
    payload = p0_response(years=(2022,))
    payload["vervar"].append(region)
    with pytest.raises(SourceFileError, match=message):
        parse_response(_saved(tmp_path, payload))


def test_only_the_newest_saved_response_per_variable_is_replayed(tmp_path: Path):
    for name in [
        "bps-webapi_d0000_v621_20260101T000000Z.json",
        "bps-webapi_d0000_v621_20260301T000000Z.json",
        "bps-webapi_d0000_v619_20260101T000000Z.json",
        "notes.json",
    ]:
        (tmp_path / name).write_text("{}")
    assert [p.name for p in latest_saved_responses([tmp_path])] == [
        "bps-webapi_d0000_v619_20260101T000000Z.json",
        "bps-webapi_d0000_v621_20260301T000000Z.json",
    ]


def test_a_real_shaped_national_response_reads_every_area(tmp_path: Path):
    """Province rows marked <b>ACEH</b>, entities in labels, turvar val a string, numbers and strings: every
    one of the 552 areas is read, against the download the response was built from."""
    from tests.bps_files import GK_ONE_YEAR_2024
    from tests.webapi_replay import poverty_line_response

    payload = poverty_line_response(2024)
    assert payload["vervar"][0]["label"] == "<b>ACEH</b>"
    path = tmp_path / "bps-webapi_d0000_v624_20250101T000000Z.json"
    path.write_text(json.dumps(payload))
    table = parse_response(path)
    download = read_bps_table(GK_ONE_YEAR_2024)
    assert len(table) == len(download) > 500
    assert dict(zip(table.bps_code, table.value, strict=True)) == dict(
        zip(download.bps_code, download.value, strict=True)
    )
    assert set(table.indicator) == {"POVERTY_LINE"} and set(table.layout) == {"webapi"}
    assert table[table.bps_code == 1100].area_name.iloc[0] == "ACEH"  # the markup is gone


def test_keys_of_two_lengths_in_one_response(tmp_path: Path):
    """tahun 99 and 100 (1999, 2000) make keys of 10 and 11 digits: "7315310990" and "73153101000"."""
    payload = p0_response(years=(2022,))
    payload["var"] = [
        {"val": 31, "label": "Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota", "unit": "Persen"}
    ]
    payload["vervar"] = [{"val": 7315, "label": "Pinrang"}]
    payload["tahun"] = [{"val": 99, "label": "1999"}, {"val": 100, "label": "2000"}]
    payload["turvar"] = [{"val": "0", "label": "Tidak ada"}]
    payload["datacontent"] = {"7315310990": 18.5, "73153101000": "17.9"}
    table = parse_response(_saved(tmp_path, payload))
    assert sorted(zip(table.year, table.value, strict=True)) == [(1999, 18.5), (2000, 17.9)]


def test_an_empty_datacontent_is_no_data_not_an_error(tmp_path: Path):
    payload = p0_response(years=(2025,))
    payload["datacontent"] = []
    table = parse_response(_saved(tmp_path, payload))
    assert table.empty and list(table.columns) == OBSERVATION_COLUMNS


def test_rows_that_are_not_areas_belong_to_the_domains_area(tmp_path: Path):
    """labelvervar "Kecamatan" over a kab/kota (domain 5304): the rows are its kecamatan, kept as breakdowns
    of Timor Tengah Selatan, never matched to kab/kota codes they are not."""
    payload = p0_response(years=(2023,))
    payload["labelvervar"] = "Kecamatan"
    payload["vervar"] = [{"val": 10, "label": "Mollo Selatan"}, {"val": 20, "label": "Kota <i>SoE</i>"}]
    payload["datacontent"] = {"1062101231": 12.5, "2062101231": 8.25}  # 10|621|0|123|1
    payload["turtahun"] = [{"val": 1, "label": "Tahunan"}]
    path = tmp_path / "bps-webapi_d5304_v621_20260101T000000Z.json"
    path.write_text(json.dumps(payload))
    table = parse_response(path)
    assert set(table.bps_code) == {5304}
    assert dict(zip(table.breakdown, table.value, strict=True)) == {"Mollo Selatan": 12.5, "Kota SoE": 8.25}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ({"status": "OK", "var": "P0", "vervar": []}, "no 'var' catalogue"),
        ({**p0_response(years=(2022,)), "vervar": ["Sumba Barat"]}, "'vervar' entry 1 is not an object"),
        ({**p0_response(years=(2022,)), "tahun": [{"val": {"x": 1}, "label": "2022"}]}, "'tahun' entry 1"),
        ({**p0_response(years=(2022,)), "datacontent": [1, 2, 3]}, "'datacontent' is a list"),
        ({**p0_response(years=(2022,)), "turtahun": [{"val": 0, "label": "Sepanjang masa"}]}, "no period"),
        ({"status": {"nested": True}}, "status"),
    ],
    ids=["deep_nesting", "var_not_a_list", "vervar_strings", "val_an_object", "datacontent_list", "period",
         "status_object"],
)  # fmt: skip
def test_hostile_json_is_one_line_naming_the_file(tmp_path: Path, payload, message: str):
    path = tmp_path / "bps-webapi_d0000_v621_20260101T000000Z.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    with pytest.raises(SourceFileError, match=message) as raised:
        parse_response(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_the_variables_fetched_are_a_list_of_domain_and_id():
    from dagster_project.resources import WarehouseResource
    from ingest.bps.webapi import DEFAULT_VARIABLES, parse_variable_spec

    assert WarehouseResource().bps_webapi_variables == list(DEFAULT_VARIABLES)
    assert [parse_variable_spec(spec).variable for spec in DEFAULT_VARIABLES] == [619, 621, 622, 623, 624]
    assert parse_variable_spec("5300:26") == WebApiRequest(domain="5300", variable=26)
    with pytest.raises(ValueError, match="not '<4-digit domain>:<variable id>'"):
        parse_variable_spec("IPM")


def test_a_variable_the_warehouse_does_not_know_is_coded_by_its_domain_and_id(tmp_path: Path):
    """IPM by kab/kota of NTT (domain 5300): its own indicator, BPS_5300_V26, named and united as BPS says."""
    payload = p0_response(years=(2023,))
    payload["var"] = [{"val": 26, "label": "[Metode Baru] Indeks Pembangunan Manusia", "unit": "Indeks"}]
    payload["vervar"] = [
        {"val": 5300, "label": "<b>NUSA TENGGARA TIMUR</b>"},
        {"val": 5371, "label": "Kota Kupang"},
    ]
    payload["datacontent"] = {"53002601230": 66.68, "53712601230": "80.64"}
    path = tmp_path / "bps-webapi_d5300_v26_20260101T000000Z.json"
    path.write_text(json.dumps(payload))
    table = parse_response(path)
    assert set(table.indicator) == {"BPS_5300_V26"} and set(table.unit) == {"index"}
    assert set(table.indicator_name) == {"[Metode Baru] Indeks Pembangunan Manusia"}
    assert dict(zip(table.bps_code, table.value, strict=True)) == {5300: 66.68, 5371: 80.64}
