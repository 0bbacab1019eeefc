"""The bundled boundaries of the 22 kab/kota (data/geo, MIT), keyed by BPS code."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from store.paths import REPO_ROOT

GEOJSON_PATH = REPO_ROOT / "data" / "geo" / "ntt_kabkota.geojson"
# Join on BPS codes, never on the source's `kode`, which is the Ministry of Home Affairs numbering.
FEATURE_ID_KEY = "properties.bps_code"
REGENCY_COUNT = 22


def regency_geojson(path: Path = GEOJSON_PATH) -> dict:
    """The FeatureCollection, after checking it has the 22 areas, each once, with a BPS code."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    codes = [feature["properties"].get("bps_code") for feature in collection.get("features", [])]
    if len(codes) != REGENCY_COUNT or len(set(codes)) != REGENCY_COUNT or None in codes:
        raise ValueError(f"{path}: expected {REGENCY_COUNT} features with distinct bps_code, found {codes}")
    return collection


def regency_codes(path: Path = GEOJSON_PATH) -> list[str]:
    """The BPS codes of the 22 areas, as the GeoJSON writes them (strings)."""
    return list(_regency_codes(path, path.stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _regency_codes(path: Path, mtime_ns: int) -> tuple[str, ...]:
    # Every map of the report asks; parsing the boundaries each time cost a report most of a second.
    return tuple(feature["properties"]["bps_code"] for feature in regency_geojson(path)["features"])
