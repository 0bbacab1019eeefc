"""The BPS WebAPI (`list/model/data`): fetch with retries, save every raw response, decode offline.

A response carries catalogues (`vervar` regions, `var`, `turvar`, `tahun` years, `turtahun` periods) and
`datacontent`, whose keys are the catalogue values written one after the other without padding:
str(vervar) + str(var) + str(turvar) + str(tahun) + str(turtahun). Widths vary, so keys are built from
the catalogues (every combination) and looked up, never split apart.

Raw responses are saved before they are parsed, so a refresh can be replayed without the network.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import product
from pathlib import Path

import pandas as pd

from ingest.bps.ntt_block import LongTable
from ingest.bps.province_semester import semester_of
from ingest.bps.titles import indicator_from_title
from ingest.errors import SourceFileError
from ingest.regions import PROVINCE_BPS_CODE, load_regencies

API_BASE = "https://webapi.bps.go.id/v1/api"
RETRY_STATUSES = {429, 500, 502, 503, 504}
# Kab/kota poverty variables on domain 0000 (all Indonesia): number poor, P0, P1, P2, poverty line.
POVERTY_VARIABLES = {619: "POOR_COUNT", 621: "P0", 622: "P1", 623: "P2", 624: "POVERTY_LINE"}
_SAVED_NAME = re.compile(r"^bps-webapi_d(?P<domain>\d+)_v(?P<var>\d+)_(?P<stamp>\d{8}T\d{6}Z)\.json$")


class WebApiError(Exception):
    """The WebAPI could not be reached or refused the request; the message never contains the key."""


@dataclass(frozen=True)
class WebApiRequest:
    domain: str
    variable: int

    def path(self, key: str) -> str:
        return f"/list/model/data/lang/ind/domain/{self.domain}/var/{self.variable}/key/{key}/"


def saved_response_name(request: WebApiRequest, at: datetime) -> str:
    return f"bps-webapi_d{request.domain}_v{request.variable}_{at.strftime('%Y%m%dT%H%M%SZ')}.json"


class BpsWebApiClient:
    def __init__(
        self,
        key: str,
        save_dir: Path,
        base_url: str = API_BASE,
        timeout: float = 30.0,
        retries: int = 4,
        backoff_seconds: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        self._key = key
        self.save_dir = save_dir
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self._sleep = sleep
        self._log = log

    def _redacted(self, request: WebApiRequest) -> str:
        return self.base_url + request.path("***")

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff_seconds * 2**attempt
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), 300.0))
        self._sleep(delay)

    def fetch(self, request: WebApiRequest) -> Path:
        """Download one response and save its bytes as received; returns the saved file."""
        url = self.base_url + request.path(self._key)
        last_problem = "no attempt made"
        for attempt in range(self.retries + 1):
            retry_after = None
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:
                    body = response.read()
                self.save_dir.mkdir(parents=True, exist_ok=True)
                saved = self.save_dir / saved_response_name(request, datetime.now(UTC))
                saved.write_bytes(body)
                return saved
            except urllib.error.HTTPError as error:
                last_problem = f"HTTP {error.code} {error.reason}"
                if error.code not in RETRY_STATUSES:
                    break
                retry_after = error.headers.get("Retry-After") if error.headers else None
            except TimeoutError:
                last_problem = f"no answer within {self.timeout:g} s"
            except urllib.error.URLError as error:
                last_problem = f"cannot connect ({error.reason})"
            if attempt < self.retries:
                self._log(
                    f"{self._redacted(request)}: {last_problem}; retrying ({attempt + 1}/{self.retries})"
                )
                self._wait(attempt, retry_after)
        raise WebApiError(f"{self._redacted(request)}: {last_problem} after {self.retries + 1} attempts")


def _catalogue(payload: dict, name: str, path: Path) -> list[dict]:
    entries = payload.get(name)
    if not isinstance(entries, list) or not entries:
        raise SourceFileError(path, f"the response has no '{name}' catalogue")
    return entries


def _year_of(entry: dict) -> int:
    label = str(entry.get("label", "")).strip()
    return int(label) if label.isdigit() else int(entry["val"]) + 1900  # tahun.val is year - 1900


def parse_response(path: Path) -> pd.DataFrame:
    """The NTT values of one saved `list/model/data` response, as the common long table."""
    try:
        payload = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceFileError(path, f"malformed JSON ({exc})") from exc
    if not isinstance(payload, dict) or payload.get("status") != "OK":
        status = payload.get("status") if isinstance(payload, dict) else type(payload).__name__
        raise SourceFileError(path, f"the WebAPI answered status {status!r}, not OK")
    if payload.get("data-availability") not in (None, "available"):
        raise SourceFileError(path, f"no data: data-availability is {payload.get('data-availability')!r}")
    [variable] = _catalogue(payload, "var", path)[:1]
    indicator = indicator_from_title(f"{variable.get('label', '')} ({variable.get('unit', '')})")
    if indicator is None:
        raise SourceFileError(path, f"variable {variable.get('label')!r} names no known poverty indicator")
    content = payload.get("datacontent")
    if not isinstance(content, dict):
        raise SourceFileError(path, "the response has no 'datacontent' object")
    known = {r.bps_code for r in load_regencies()} | {PROVINCE_BPS_CODE}
    names = {r.bps_code: r.name for r in load_regencies()} | {PROVINCE_BPS_CODE: "NUSA TENGGARA TIMUR"}
    table = LongTable(path)
    regions = _catalogue(payload, "vervar", path)
    periods = _catalogue(payload, "turtahun", path)
    for line, region in enumerate(regions, start=1):
        code = int(region["val"])
        if code // 100 != PROVINCE_BPS_CODE // 100:
            continue  # national responses list every kab/kota; keep NTT's
        if code not in known:
            raise SourceFileError(
                path, f"region code {code} ({region.get('label')!r}) is not in the reference"
            )
        combinations = product(
            _catalogue(payload, "turvar", path), _catalogue(payload, "tahun", path), periods
        )
        for turvar, tahun, turtahun in combinations:
            key = f"{region['val']}{variable['val']}{turvar['val']}{tahun['val']}{turtahun['val']}"
            if key not in content:
                continue
            semester = semester_of(str(turtahun.get("label", "")))
            if isinstance(semester, str):
                raise SourceFileError(path, f"period {semester!r} is neither a semester nor annual", row=line)
            table.add(line, names[code], code, _year_of(tahun), semester, indicator, str(content[key]))
    return table.frame()


def latest_saved_responses(folders: list[Path]) -> list[Path]:
    """The newest saved response per domain and variable: older ones are superseded, not merged."""
    newest: dict[tuple[str, str], Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("bps-webapi_*.json")) if folder.exists() else []:
            match = _SAVED_NAME.match(path.name)
            if match is None:
                continue
            identity = (match["domain"], match["var"])
            if identity not in newest or _SAVED_NAME.match(newest[identity].name)["stamp"] < match["stamp"]:
                newest[identity] = path
    return sorted(newest.values())
