"""The BPS WebAPI (`list/model/data`): fetch with retries, save every raw response, decode offline.

A response carries catalogues (`vervar` regions, `var`, `turvar`, `tahun` years, `turtahun` periods) and
`datacontent`, whose keys are the catalogue values written one after the other without padding:
str(vervar) + str(var) + str(turvar) + str(tahun) + str(turtahun). Widths vary, so keys are built from
the catalogues (every combination) and looked up, never split apart.

Raw responses are saved before they are parsed, so a refresh can be replayed without the network.
Every area of a response is kept (a national response lists Indonesia, the provinces and every kab/kota),
its `vervar` code checked against the BPS area reference, label included.
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

from ingest.bps.areas import PlacedArea
from ingest.bps.observations import ObservationTable
from ingest.bps.titles import area_type_of, indicator_from_title, semester_of
from ingest.regions import COUNTRY_BPS_CODE, area_by_code, area_key
from store.errors import SourceFileError

API_BASE = "https://webapi.bps.go.id/v1/api"
RETRY_STATUSES = {429, 500, 502, 503, 504}
# Kab/kota poverty variables on domain 0000 (all Indonesia): number poor, P0, P1, P2, poverty line.
POVERTY_VARIABLES = {619: "POOR_COUNT", 621: "P0", 622: "P1", 623: "P2", 624: "POVERTY_LINE"}
LAYOUT = "webapi"
NATIONAL_CODES = {0, 9999}  # BPS writes Indonesia as 0000 or 9999
_NO_TURVAR = {"", "tidak ada", "tidak ada turunan", "none"}
_PROVINCE_WORD = re.compile(r"^\s*(prov\.?|provinsi)\s+", re.I)
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


def _area_of(region: dict, line: int, path: Path) -> PlacedArea:
    """The reference area of a `vervar` entry: its code must exist and its label must name that area."""
    try:
        code = int(region["val"])
    except (KeyError, TypeError, ValueError):
        raise SourceFileError(path, f"vervar entry {region!r} has no numeric code", row=line) from None
    code = COUNTRY_BPS_CODE if code in NATIONAL_CODES else code
    label = str(region.get("label", "")).strip()
    area = area_by_code().get(code)
    if area is None:
        problem = f"region code {code} ({label!r}) is not in the BPS area reference"
        raise SourceFileError(path, problem, row=line)
    spellings = {area_key(spelling) for spelling in (area.name, *area.aliases)}
    if label and area_key(_PROVINCE_WORD.sub("", label)) not in spellings:
        problem = f"region code {code} is {label!r} in the response but {area.name!r} in the reference"
        raise SourceFileError(path, problem, row=line)
    return PlacedArea(code, label or area.name, area.level, area.province_bps_code)


def parse_response(path: Path) -> pd.DataFrame:
    """Every area's values in one saved `list/model/data` response, as observations (layout `webapi`)."""
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
    turvars = []
    for turvar in _catalogue(payload, "turvar", path):
        label = str(turvar.get("label", "")).strip()
        area_type = "total" if label.lower() in _NO_TURVAR else area_type_of(label)
        if area_type is None:
            raise SourceFileError(path, f"turvar {label!r} is neither 'Tidak ada' nor a daerah")
        turvars.append((turvar, area_type))
    periods = []
    for turtahun in _catalogue(payload, "turtahun", path):
        try:
            periods.append((turtahun, semester_of(str(turtahun.get("label", "")))))
        except ValueError:
            problem = f"period {turtahun.get('label')!r} is neither a semester nor annual"
            raise SourceFileError(path, problem) from None
    years = [(tahun, _year_of(tahun)) for tahun in _catalogue(payload, "tahun", path)]
    table = ObservationTable(path, LAYOUT)
    for line, region in enumerate(_catalogue(payload, "vervar", path), start=1):
        area = _area_of(region, line, path)
        for (turvar, area_type), (tahun, year), (turtahun, semester) in product(turvars, years, periods):
            key = f"{region['val']}{variable['val']}{turvar['val']}{tahun['val']}{turtahun['val']}"
            if key in content:
                table.add(line, area, year, semester, area_type, indicator, str(content[key]))
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
