"""Readers for BPS statistics downloads. Each returns the observation table (OBSERVATION_COLUMNS).

- `read_bps_table(path)`: any BPS table download, its layout recognised by structure (see
  data/bps/BPS_FORMATS.md); `looks_like_bps_table(path)` routes a dropped file to it.
- `ingest.bps.webapi.parse_response(path)`: a saved BPS WebAPI response.
"""

from ingest.bps.observations import OBSERVATION_COLUMNS, OBSERVATION_DTYPES, empty_observations
from ingest.bps.read import LAYOUTS, looks_like_bps_table, read_bps_table

__all__ = [
    "LAYOUTS",
    "OBSERVATION_COLUMNS",
    "OBSERVATION_DTYPES",
    "empty_observations",
    "looks_like_bps_table",
    "read_bps_table",
]
