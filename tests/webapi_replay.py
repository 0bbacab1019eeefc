"""A local stand-in for the BPS WebAPI: real HTTP on 127.0.0.1, scripted answers in the WebAPI shape.

The response body is built from the real bundled P0 table, so decoded values can be checked against
the figures BPS printed.
"""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ingest.bps import read_bps_table
from store.paths import BUNDLED_DATA_DIR

P0_CSV = BUNDLED_DATA_DIR / "bps" / "bps-kabkota-p0-jumlah-visdati" / "P0_kabkota_NTT_2004-2025.csv"


def p0_response(years: tuple[int, ...] = (2022, 2023, 2024), with_missing: bool = True) -> dict:
    """A `list/model/data` answer for var 621 (P0 by kab/kota) on domain 0000."""
    table = read_bps_table(P0_CSV)
    codes = sorted(set(table.bps_code))
    vervar = [{"val": 5201, "label": "Lombok Barat"}]  # another province's kab/kota: kept too
    vervar += [{"val": int(code), "label": table[table.bps_code == code].area_name.iloc[0]} for code in codes]
    content: dict[str, object] = {"52016210" + str(y - 1900) + "0": 15.0 for y in years}
    for row in table[table.year.isin(years)].itertuples():
        value: object = row.value if row.bps_code % 2 else str(row.value)  # BPS sends numbers and strings
        content[f"{row.bps_code}6210{row.year - 1900}0"] = value
    if with_missing:
        content[f"53216210{years[0] - 1900}0"] = "-"  # a value BPS marks missing
    return {
        "status": "OK",
        "data-availability": "available",
        "subject": [{"val": 23, "label": "Kemiskinan dan Ketimpangan"}],
        "var": [
            {
                "val": 621,
                "label": "Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota",
                "unit": "Persen",
                "subj": "Kemiskinan dan Ketimpangan",
                "def": "",
                "decimal": 2,
                "note": "",
            }
        ],
        "turvar": [{"val": 0, "label": "Tidak ada"}],
        "labelvervar": "Kabupaten/Kota",
        "vervar": vervar,
        "tahun": [{"val": y - 1900, "label": str(y)} for y in years],
        "turtahun": [{"val": 0, "label": "Tahun"}],
        "datacontent": content,
    }


class _Script:
    def __init__(self, answers: list[tuple[str, object]]) -> None:
        self.answers = list(answers)
        self.requests: list[str] = []
        self.lock = threading.Lock()

    def next(self) -> tuple[str, object]:
        with self.lock:
            return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@contextmanager
def replay_server(answers: list[tuple[str, object]]) -> Iterator[tuple[str, _Script]]:
    """Serve `answers` in order: ("json", dict), ("status", 429|500), ("sleep", seconds), ("raw", text)."""
    script = _Script(answers)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            script.requests.append(self.path)
            kind, payload = script.next()
            if kind == "json" and "/var/621/" not in self.path:
                kind, payload = "status", 404  # only P0 is served
            if kind == "sleep":
                time.sleep(float(payload))
                kind, payload = "json", p0_response()
            if kind == "status":
                self.send_response(int(payload))
                self.send_header("Retry-After", "0")
                self.end_headers()
                return
            body = json.dumps(payload).encode() if kind == "json" else str(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            with suppress(BrokenPipeError):
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/api", script
    finally:
        server.shutdown()
        server.server_close()


def poverty_line_response(year: int = 2024) -> dict:
    """A `list/model/data` answer for var 624 (poverty line by kab/kota, domain 0000) as BPS really sends it,
    built from the real bundled download of that year: every area, the province rows marked `<b>...</b>`,
    labels with entities, `turvar` val a string, values as numbers and as strings."""
    from tests.bps_files import GK_ONE_YEAR_2024

    table = read_bps_table(GK_ONE_YEAR_2024)
    vervar, content = [], {}
    for row in table.drop_duplicates("bps_code").itertuples():
        label = row.area_name.replace("&", "&amp;")
        vervar.append(
            {"val": int(row.bps_code), "label": f"<b>{label}</b>" if row.area_level != "kabkota" else label}
        )
        value = row.value if row.bps_code % 3 else str(int(row.value))
        content[f"{row.bps_code}6240{year - 1900}0"] = value
    return {
        "status": "OK",
        "data-availability": "available",
        "var": [
            {"val": 624, "label": "Garis Kemiskinan Menurut Kabupaten/Kota", "unit": "Rupiah/Kapita/Bulan"}
        ],
        "turvar": [{"val": "0", "label": "Tidak ada"}],
        "labelvervar": "Kabupaten/Kota",
        "vervar": vervar,
        "tahun": [{"val": year - 1900, "label": str(year)}],
        "turtahun": [{"val": 0, "label": "Tahun"}],
        "datacontent": content,
    }
