"""BPS statistics tables: every export (CSV, XLSX, HTML, the long export, the WebAPI) parsed into one table
model (ingest.bps.table), whose observations are the warehouse's BPS rows.

- `read_bps_table(path)`: any BPS table download, its case of the model recognised by structure (see
  data/bps/BPS_FORMATS.md); `looks_like_bps_table(path)` routes a dropped file to it.
- `ingest.bps.webapi.parse_response(path)`: a saved BPS WebAPI response.
"""

from ingest.bps.observations import OBSERVATION_COLUMNS, OBSERVATION_DTYPES, empty_observations
from ingest.bps.read import LAYOUTS, bps_table, looks_like_bps_table, read_bps_table

__all__ = [
    "LAYOUTS",
    "OBSERVATION_COLUMNS",
    "OBSERVATION_DTYPES",
    "bps_table",
    "empty_observations",
    "looks_like_bps_table",
    "read_bps_table",
]
