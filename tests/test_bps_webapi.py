"""The WebAPI client over real HTTP against a local replay server, and the decoder on its answers."""

import json
from pathlib import Path

import pytest

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
    assert set(table.layout) == {"webapi"} and set(table.area_type) == {"total"}
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


def test_malformed_json_is_saved_then_refused_by_the_parser(tmp_path: Path):
    with replay_server([("raw", '{"status": "OK", "datacontent": {"5316')]) as (base_url, _):
        saved = _client(base_url, tmp_path).fetch(REQUEST)
    assert saved.exists()
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
    assert sorted(zip(table.semester.astype("float").fillna(0), table.value, strict=True)) == [
        (0, 20.5),
        (1, 19.96),
    ]


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
    rows = sorted(zip(table.bps_code, table.area_type, table.semester, table.value, strict=True))
    assert rows == [(0, "urban", 1, 7.5), (5300, "rural", 1, 24.8), (5300, "urban", 1, 9.06)]
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
