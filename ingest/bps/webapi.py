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

import html
import http.client
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
from urllib.parse import quote

import pandas as pd

from ingest.bps.areas import PlacedArea, placed
from ingest.bps.table import AREAS, CATEGORIES, Block, BpsTable, Column, Row, area_of_code, observations
from ingest.bps.titles import (
    TOTAL,
    UnitContradiction,
    breakdown_of,
    is_month_other_than_rounds,
    is_year,
    period_of,
    variable_from_title,
)
from ingest.regions import COUNTRY_BPS_CODE, area_by_code
from store.errors import SourceFileError

API_BASE = "https://webapi.bps.go.id/v1/api"
RETRY_STATUSES = {429, 500, 502, 503, 504}
# Kab/kota poverty variables on domain 0000 (all Indonesia): number poor, P0, P1, P2, poverty line.
POVERTY_VARIABLES = {619: "POOR_COUNT", 621: "P0", 622: "P1", 623: "P2", 624: "POVERTY_LINE"}
LAYOUT = "webapi"
NATIONAL_CODES = {0, 9999}  # BPS writes Indonesia as 0000 or 9999
_NO_TURVAR = {"", "tidak ada", "tidak ada turunan", "none"}
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

    def _hidden(self, text: object) -> str:
        """`text` with the key (as given and as sent) replaced by ***: a message never carries it."""
        shown = str(text)
        for spelling in {self._key, quote(self._key, safe="")} - {""}:
            shown = shown.replace(spelling, "***")
        return shown

    def fetch(self, request: WebApiRequest) -> Path:
        """Download one response and save its bytes as received; returns the saved file.

        Every transport error (HTTP errors, a refused or reset connection, a timeout, an answer cut short,
        a URL the key makes invalid) is retried or raised as WebApiError, whose message never holds the key.
        Only a whole JSON answer is saved, under a temporary name renamed into place: an answer cut short
        never becomes the latest saved response, so the last good one is used instead."""
        url = self.base_url + request.path(quote(self._key, safe=""))
        last_problem = "no attempt made"
        for attempt in range(self.retries + 1):
            retry_after = None
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:
                    body = response.read()
                _check_whole_json(body)
                return self._save(request, body)
            except urllib.error.HTTPError as error:
                last_problem = f"HTTP {error.code} {self._hidden(error.reason)}"
                if error.code not in RETRY_STATUSES:
                    break
                retry_after = error.headers.get("Retry-After") if error.headers else None
            except TimeoutError:
                last_problem = f"no answer within {self.timeout:g} s"
            except urllib.error.URLError as error:
                last_problem = f"cannot connect ({self._hidden(error.reason)})"
            except http.client.IncompleteRead as error:
                got = len(error.partial)
                last_problem = f"the answer was cut short ({got:,} of {got + (error.expected or 0):,} bytes)"
            except http.client.InvalidURL:
                last_problem = "the key or address makes no valid URL (a space in BPS_API_KEY?)"
                break
            except (http.client.HTTPException, OSError, ValueError) as error:
                last_problem = f"{type(error).__name__}: {self._hidden(error)}"
            if attempt < self.retries:
                self._log(
                    f"{self._redacted(request)}: {last_problem}; retrying ({attempt + 1}/{self.retries})"
                )
                self._wait(attempt, retry_after)
        tries = f"{attempt + 1} attempts" if attempt else "1 attempt"
        raise WebApiError(f"{self._redacted(request)}: {last_problem} after {tries}")

    def _save(self, request: WebApiRequest, body: bytes) -> Path:
        self.save_dir.mkdir(parents=True, exist_ok=True)
        saved = self.save_dir / saved_response_name(request, datetime.now(UTC))
        partial = saved.with_name(f".{saved.name}.partial")  # a hidden name: never read if left behind
        partial.write_bytes(body)
        partial.replace(saved)
        return saved


def _check_whole_json(body: bytes) -> None:
    """ValueError unless `body` is one whole JSON object (an answer cut short without a length is not)."""
    try:
        payload = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"the answer is not whole JSON, cut short? ({type(error).__name__})") from None
    if not isinstance(payload, dict):
        raise ValueError(f"the answer is JSON but no object ({type(payload).__name__})")


def parse_variable_spec(spec: str) -> WebApiRequest:
    """A WebAPI variable as the settings list it: "<domain>:<variable id>" ("0000:621", "5300:26")."""
    domain, _, variable = spec.strip().partition(":")
    if not (domain.isdigit() and len(domain) == 4 and variable.strip().isdigit()):
        raise ValueError(f"{spec!r} is not '<4-digit domain>:<variable id>' (e.g. '0000:621')")
    return WebApiRequest(domain=domain, variable=int(variable))


# Kab/kota poverty variables on domain 0000, as the `warehouse` resource lists them by default.
DEFAULT_VARIABLES = tuple(f"0000:{variable}" for variable in POVERTY_VARIABLES)

_TAG = re.compile(r"<[^>]*>")
_AREA_DIMENSION = re.compile(r"provinsi|province|kabupaten|kota|wilayah|region|nasional|indonesia", re.I)


def clean_label(value: object) -> str:
    """A catalogue label as text: markup (`<b>ACEH</b>`) and entities (`&amp;`) removed, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", str(value))).split()) if value is not None else ""


def _scalar(value: object) -> str:
    """A catalogue `val` as the key writes it: numbers and strings alike ("0" and 0), nothing else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"a value of type {type(value).__name__}")
    if isinstance(value, float):
        if not value.is_integer():
            raise TypeError(f"a fractional code {value!r}")
        value = int(value)
    return str(value).strip()


def _catalogue(payload: dict, name: str, path: Path) -> list[tuple[str, str]]:
    """(val as text, clean label) of each entry of a catalogue; refused unless a list of objects."""
    entries = payload.get(name)
    if not isinstance(entries, list) or not entries:
        raise SourceFileError(path, f"the response has no '{name}' catalogue")
    found = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "val" not in entry:
            raise SourceFileError(path, f"'{name}' entry {position} is not an object with a 'val'")
        try:
            found.append((_scalar(entry["val"]), clean_label(entry.get("label"))))
        except TypeError as exc:
            raise SourceFileError(path, f"'{name}' entry {position}: {exc} where a code belongs") from None
    return found


def _year_of(val: str, label: str, path: Path) -> int:
    if is_year(label):
        return int(label)
    if val.isdigit() and 0 < int(val) < 300:
        return int(val) + 1900  # tahun.val is year - 1900: 99 is 1999, 125 is 2025
    raise SourceFileError(path, f"tahun {label or val!r} is not a year")


def _domain_of(path: Path) -> str | None:
    match = _SAVED_NAME.match(path.name)
    return match["domain"] if match else None


def parse_response(path: Path) -> pd.DataFrame:
    """Every value of one saved `list/model/data` response, as observations (layout `webapi`)."""
    return observations(table_from_response(path))


def table_from_response(path: Path) -> BpsTable:
    """The response as the table model: `vervar` the rows, `turvar` x `tahun` x `turtahun` the columns.

    A response is hostile input like any file: whatever its shape, it is read or refused in one line.
    """
    try:
        payload = json.loads(path.read_bytes().decode("utf-8-sig"))
    except RecursionError:
        raise SourceFileError(path, "malformed JSON (nested too deeply to be a WebAPI response)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceFileError(path, f"malformed JSON ({exc})") from None
    except OSError as exc:
        raise SourceFileError(path, f"cannot be read ({exc.strerror})") from None
    try:
        return _table(payload, path)
    except SourceFileError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError, RecursionError) as exc:
        problem = f"not a WebAPI list/model/data response ({type(exc).__name__}: {exc})"
        raise SourceFileError(path, problem) from None


def _table(payload: object, path: Path) -> BpsTable:
    if not isinstance(payload, dict) or payload.get("status") != "OK":
        status = payload.get("status") if isinstance(payload, dict) else type(payload).__name__
        raise SourceFileError(path, f"the WebAPI answered status {str(status)[:40]!r}, not OK")
    if payload.get("data-availability") not in (None, "available"):
        availability = str(payload.get("data-availability"))[:40]
        raise SourceFileError(path, f"no data: data-availability is {availability!r}")
    entries = payload.get("var")
    if not isinstance(entries, list) or not entries or not isinstance(entries[0], dict):
        raise SourceFileError(path, "the response has no 'var' catalogue")
    var = entries[0]
    var_val = _scalar(var.get("val", ""))
    domain = _domain_of(path)
    title = clean_label(var.get("label"))
    unit = clean_label(var.get("unit"))
    try:
        variable = variable_from_title(
            f"{title} ({unit})" if unit else title, webapi_id=f"BPS_{domain or 'X'}_V{var_val}"
        )
    except UnitContradiction as exc:
        raise SourceFileError(path, str(exc)) from None
    if variable is None:
        raise SourceFileError(path, f"variable {title!r} names nothing")
    content = payload.get("datacontent")
    if content in ([], {}, None):
        empty = Block([])
        return BpsTable(path=path, layout=LAYOUT, variable=variable, blocks=[empty], allow_empty=True)
    if not isinstance(content, dict):
        raise SourceFileError(path, f"'datacontent' is a {type(content).__name__}, not an object")
    turvars = [
        (val, TOTAL if label.lower() in _NO_TURVAR else breakdown_of(label))
        for val, label in _catalogue(payload, "turvar", path)
    ]
    monthly = any(is_month_other_than_rounds(label) for _, label in _catalogue(payload, "turtahun", path))
    periods = []
    for val, label in _catalogue(payload, "turtahun", path):
        period = period_of(label, monthly)
        if period is None:
            raise SourceFileError(
                path, f"turtahun {label!r} is no period (Tahun, Semester 1 (Maret), Februari...)"
            )
        periods.append((val, period))
    years = [(val, _year_of(val, label, path)) for val, label in _catalogue(payload, "tahun", path)]
    columns = []
    keys = []
    for (turvar, breakdown), (tahun, year), (turtahun, period) in product(turvars, years, periods):
        columns.append(Column(year, period, breakdown))
        keys.append((turvar, tahun, turtahun))
    regions = _catalogue(payload, "vervar", path)
    dimension = clean_label(payload.get("labelvervar"))
    area_rows = not dimension or bool(_AREA_DIMENSION.search(dimension))
    # Keys are the catalogue values written one after another; with values of several widths two cells
    # can spell the same key. Each key is built once; a key two cells share is refused if the data uses it.
    owner: dict[str, tuple[int, int]] = {}
    shared: set[str] = set()
    rows = []
    for line, (val, label) in enumerate(regions, start=1):
        cells = []
        for position, (turvar, tahun, turtahun) in enumerate(keys):
            key = f"{val}{var_val}{turvar}{tahun}{turtahun}"
            if key in owner:
                shared.add(key)
            owner[key] = (line, position)
            value = content.get(key)
            if isinstance(value, (dict, list)):
                raise SourceFileError(
                    path, f"datacontent {key!r} holds a {type(value).__name__}, not a figure", row=line
                )
            cells.append("" if value is None else str(value))
        code = _region_code(val, area_rows)
        rows.append(Row(line, label, cells, code=code))
    if area_rows:
        for row in rows:
            if row.code is not None:
                area_of_code(path, row)  # an unknown code, or a label naming another area, is refused first
    clashing = sorted(key for key in shared if key in content)
    if clashing:
        raise SourceFileError(path, f"datacontent key {clashing[0]!r} fits two cells of the catalogues")
    area = None
    rows_are = AREAS
    if not area_rows or any(row.code is None for row in rows):
        rows_are = CATEGORIES
        area = _domain_area(domain, path, dimension)
        rows = [Row(row.line, row.label, row.cells) for row in rows]
    return BpsTable(
        path=path,
        layout=LAYOUT,
        variable=variable,
        blocks=[Block(columns, rows)],
        rows_are=rows_are,
        area=area,
    )


def _region_code(val: str, area_rows: bool) -> int | None:
    """The BPS code a vervar value is, when the rows are areas (Indonesia comes as 0, 0000 or 9999)."""
    if not area_rows or not val.isdigit():
        return None
    code = int(val)
    return COUNTRY_BPS_CODE if code in NATIONAL_CODES else code


def _domain_area(domain: str | None, path: Path, dimension: str) -> PlacedArea:
    """The area a response whose rows are not areas (labelvervar "Kecamatan", "Kelompok Umur") is about."""
    code = int(domain) if domain and domain.isdigit() else None
    if code is not None and code in NATIONAL_CODES:
        return placed(COUNTRY_BPS_CODE)
    if code is not None and code in area_by_code():
        return placed(code)
    raise SourceFileError(
        path,
        f"rows are {dimension or 'not areas'!r} and the response's domain ({domain}) is no area of the "
        "reference",
    )


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
