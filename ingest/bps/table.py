"""The BPS table model: one variable over a row dimension and column dimensions, whatever the export.

A bps.go.id statistics table is one variable (its title: the indicator and unit) shown over

- a **row dimension**: areas (Indonesia, provinces, each province's kab/kota), or daerah (the national
  tables' `Kota`, `Desa`, `Kota+Desa` rows), or categories (labour-force activities...);
- **column dimensions**: a breakdown (daerah, sex, a sub-indicator; nested breakdowns join as
  "outer / inner"), the year, and the period (Susenas Maret/September, Sakernas Februari/Agustus, quarters,
  months, Tahunan).

The WebAPI returns exactly these catalogues (`var`; `vervar`; `turvar`, `tahun`, `turtahun`); the CSV, XLSX
and HTML exports render the same pivot, and the long export lists it one value per line. Every export is
parsed into a `BpsTable` (ingest.bps.grid, .long_export, .webapi) and its observations come from here, once:
`observations(table)`. A table may repeat its header for a second block of rows (the labour-force XLSX
gives one block per year), and a table may give each column its own variable ("Garis Kemiskinan - Maret").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ingest.bps.areas import AreaPlacer, PlacedArea, placed
from ingest.bps.observations import ObservationTable
from ingest.bps.titles import TOTAL, Variable, breakdown_of
from ingest.regions import COUNTRY_BPS_CODE, area_by_code, area_key, province_code_for_name
from store.errors import SourceFileError

AREAS, DAERAH, CATEGORIES = "area", "daerah", "category"


@dataclass(frozen=True)
class Column:
    """One column of values: its year, period and breakdown, and its own variable and unit if it has one."""

    year: int
    period: str  # ingest.bps.titles.PERIODS
    breakdown: str = TOTAL
    variable: Variable | None = None  # None: the table's variable
    unit: str | None = None  # a breakdown that is a rate among counts ("% Bekerja / AK") has its own


class Row(NamedTuple):
    """One row of values, aligned with its block's columns ('' = no cell). A tuple: tables have many."""

    line: int  # the line a person sees it on (CSV line, sheet row, area position in HTML/WebAPI)
    label: str  # the row dimension's label as printed
    cells: list[str]
    code: int | None = None  # the BPS area code, when the export gives one (WebAPI)


@dataclass
class Block:
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)


@dataclass
class BpsTable:
    path: Path
    layout: str  # the case of the model (data/bps/BPS_FORMATS.md): area_by_year, area_by_period, ...
    variable: Variable | None  # None when every column names its own
    blocks: list[Block]
    rows_are: str = AREAS  # AREAS, DAERAH or CATEGORIES
    area: PlacedArea | None = None  # the area daerah or category rows belong to
    decimal_comma: bool = False
    kabkota_allowed: bool = True  # False: the header says the rows are provinces ("38 Provinsi")
    provinces_announced: int | None = None  # the number a "38 Provinsi" header announces
    allow_empty: bool = False  # a WebAPI answer with no data is "no data", not an error


def area_of_code(path: Path, row: Row) -> PlacedArea:
    """The area of a row whose export gives its BPS code: the label must name that area."""
    areas = area_by_code()
    area = areas.get(row.code)
    if area is None:
        raise SourceFileError(
            path, f"region code {row.code} ({row.label!r}) is not in the BPS area reference", row=row.line
        )
    names_it = area_key(row.label) in {area_key(s) for s in (area.name, *area.aliases)} or (
        area.level != "kabkota" and province_code_for_name(row.label) == area.bps_code
    )
    if row.label and not names_it:
        problem = (
            f"region code {row.code} is {row.label!r} in the response but {area.name!r} in the reference"
        )
        raise SourceFileError(path, problem, row=row.line)
    return PlacedArea(area.bps_code, row.label or area.name, area.level, area.province_bps_code)


def _joined(row_breakdown: str, column_breakdown: str) -> str:
    if row_breakdown == TOTAL:
        return column_breakdown
    if column_breakdown == TOTAL:
        return row_breakdown
    return f"{row_breakdown} / {column_breakdown}"


def observations(table: BpsTable) -> pd.DataFrame:
    """One row per value of the table (ingest.bps.OBSERVATION_COLUMNS): every area, year, period and
    breakdown, placed and checked here for every export."""
    collected = ObservationTable(table.path, table.layout, table.decimal_comma)
    add = collected.add
    years: list[int] = []
    placers: list[AreaPlacer] = []
    country = table.area or placed(COUNTRY_BPS_CODE, None)
    for block in table.blocks:
        placer = AreaPlacer(table.path, table.kabkota_allowed)
        placers.append(placer)
        width = len(block.columns)
        years += [column.year for column in block.columns]
        columns = [
            (column.year, column.period, column.breakdown, column.variable or table.variable, column.unit)
            for column in block.columns
        ]
        for row in block.rows:
            line, label, cells, code = row
            if table.rows_are == AREAS:
                if code is not None:
                    area = area_of_code(table.path, row)
                elif not label:
                    raise SourceFileError(
                        table.path, "a row of values without an area name (a shifted row?)", row=line
                    )
                else:
                    area = placer.place(line, label)
                row_breakdown = TOTAL
            else:
                area = country
                if not label:
                    raise SourceFileError(
                        table.path, "a row of values without a label (a shifted row?)", row=line
                    )
                row_breakdown = breakdown_of(label)
            if len(cells) > width and any(cells[width:]):
                extra = [cell for cell in cells[width:] if cell]
                raise SourceFileError(
                    table.path,
                    f"row has {len(extra)} value(s) more than the {width} labelled column(s) "
                    "(a shifted row, or a comma inside a value?)",
                    row=line,
                )
            for (year, period, breakdown, variable, unit), text in zip(columns, cells, strict=False):
                if row_breakdown != TOTAL:
                    breakdown = _joined(row_breakdown, breakdown)
                add(line, area, year, period, breakdown, variable, text, unit)
    if table.rows_are == AREAS and years:
        for placer in placers:
            placer.check_every_province_listed(max(years), table.provinces_announced)
    return collected.frame(allow_empty=table.allow_empty)
