"""Read any BPS table download: parse the export into the table model, then take its observations.

Every export is one case of the model (ingest.bps.table); which case a file is, is recognised from its
content (ingest.bps.grid), never from its name or extension alone. The case is the `layout` of its values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.bps.grid import table_from_grid
from ingest.bps.long_export import is_long_export, table_from_long_export
from ingest.bps.reading import HTML_SUFFIXES, XLSX_SUFFIXES, head_bytes, is_html, read_grid
from ingest.bps.table import BpsTable, observations
from store.budgets import DEFAULT_BUDGETS, FileBudgets
from store.errors import SourceFileError

TABLE_SUFFIXES = {".csv", ".txt", *XLSX_SUFFIXES, *HTML_SUFFIXES}
# The cases of the table model, as the `layout` of every value (data/bps/BPS_FORMATS.md has one real file
# of each). Rows: areas, daerah (Kota/Desa of a national table) or categories; columns: years only, or
# periods too, or one variable and period per column.
LAYOUTS = {
    "area_by_year": "areas in rows; a column per year (and breakdown), no periods",
    "area_by_period": "areas in rows; columns by breakdown, year and period (Maret, September, Februari...)",
    "area_by_variable": "areas in rows; one header row naming a variable and its period per column",
    "daerah_by_year": "daerah in rows (Kota, Desa, Kota+Desa) of one area; a column per year",
    "daerah_by_period": "daerah in rows (Kota, Desa, Kota+Desa) of one area; columns by year and period",
    "category_by_year": "categories in rows (of the area the title names, else Indonesia); a column per year",
    "category_by_period": "categories in rows (of the area the title names, else Indonesia); year and period",
    "tabel_dinamis": "the old 'tabel dinamis' export (an .xls that is HTML): areas by year",
    "long_export": "the dynamic-table long export: one value per line",
    "webapi": "a BPS WebAPI list/model/data response (ingest.bps.webapi.parse_response)",
}


def looks_like_bps_table(path: Path) -> bool:
    """Whether a file might be a BPS table download (CSV, XLSX, the HTML '.xls'): a cheap sniff to route it.

    False for PDFs, JSON (WebAPI responses), and tables of other sources such as the extreme-poverty
    release figures (`ingest.releases`), which are told apart by their header.
    """
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES or not path.is_file():
        return False
    head = head_bytes(path)
    if head.startswith(b"%PDF") or head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith((b"{", b"[")):
        return False
    if suffix in XLSX_SUFFIXES:
        return head.startswith(b"PK")
    if suffix in HTML_SUFFIXES:
        return is_html(head) or head.startswith(b"\xd0\xcf\x11\xe0")
    from ingest.releases.extreme_poverty import looks_like_poverty_release_table

    return not looks_like_poverty_release_table(path)


def bps_table(path: Path, budgets: FileBudgets = DEFAULT_BUDGETS) -> BpsTable:
    """The table model of a BPS download, whatever its export (read within `budgets`)."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        raise SourceFileError(path, "a JSON file: WebAPI responses are read by ingest.bps.webapi")
    grid = read_grid(path, budgets)
    if is_long_export(grid):
        return table_from_long_export(grid, path)
    table = table_from_grid(grid, path)
    if grid.export == "tabel_dinamis":
        table.layout = grid.export  # its structure is area_by_year; the export has its own priority
    return table


def read_bps_table(path: Path, budgets: FileBudgets = DEFAULT_BUDGETS) -> pd.DataFrame:
    """The observations of a BPS table download (OBSERVATION_COLUMNS), whatever its export.

    Raises SourceFileError naming the file, the row and the cause when the file is not a BPS table, its
    header contradicts itself, or a row is broken; OverBudgetError when it would cost more than `budgets`.
    """
    return observations(bps_table(path, budgets))
