"""A static HTML report of the published warehouse, readable offline (Plotly's JavaScript sits beside it)."""

from __future__ import annotations

import html
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

PLOTLY_JS = "plotly.min.js"
CHART_IDS = ["p0-over-time", "rupiah-per-poor-person", "poverty-vs-budget"]


def _frames(warehouse: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:

        def sql(text: str) -> pd.DataFrame:
            return connection.execute(text).df()

        latest_run = "(select run_id from provenance.load_log order by logged_at desc limit 1)"
        return {
            "profile": sql(
                "select regency_name, bps_code, is_province, year, p0"
                " from main.mart_regency_poverty_profile where p0 is not null order by bps_code, year"
            ),
            "budget": sql(
                "select * from main.mart_budget_vs_poverty"
                " where year = (select max(year) from main.mart_budget_vs_poverty)"
                " order by rupiah_per_poor_person"
            ),
            "quality": sql(
                "select asset, status, rows_out, rows_rejected, checks_passed, checks_failed, check_summary"
                f" from provenance.load_log where run_id = {latest_run} order by asset"
            ),
            "quarantine": sql(
                "select source, source_file, reason from provenance.quarantine order by source_file"
            ),
        }


def _p0_over_time(profile: pd.DataFrame) -> go.Figure:
    province = profile[profile["is_province"]][["year", "p0"]]
    regencies = profile[~profile["is_province"]]
    lines = []
    for name, rows in regencies.groupby("regency_name", sort=False):
        lines.append(rows.assign(series="regency", facet=name))
        lines.append(province.assign(series="NTT province", facet=name, regency_name=name))
    data = pd.concat(lines, ignore_index=True)
    figure = px.line(
        data,
        x="year",
        y="p0",
        color="series",
        facet_col="facet",
        facet_col_wrap=6,
        facet_row_spacing=0.06,
        height=900,
        labels={"p0": "P0 (%)", "year": ""},
        color_discrete_map={"regency": "#c0392b", "NTT province": "#7f8c8d"},
    )
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    figure.update_layout(
        title="Poverty rate (P0) by regency, with the province for reference", legend_title=""
    )
    return figure


def _rupiah_per_poor(budget: pd.DataFrame) -> go.Figure:
    year = int(budget["year"].max()) if not budget.empty else None
    figure = px.bar(
        budget,
        x="rupiah_per_poor_person",
        y="regency_name",
        orientation="h",
        height=650,
        color="p0",
        color_continuous_scale="Reds",
        labels={"rupiah_per_poor_person": "Rupiah per poor person", "regency_name": "", "p0": "P0 (%)"},
    )
    figure.update_layout(title=f"RAT {year}: budget allocated per poor person (province-wide lines excluded)")
    return figure


def _poverty_vs_budget(budget: pd.DataFrame) -> go.Figure:
    figure = px.scatter(
        budget,
        x="p0",
        y="rupiah_per_poor_person",
        size="poor_count_thousand",
        text="regency_name",
        height=600,
        labels={
            "p0": "P0 (%)",
            "rupiah_per_poor_person": "Rupiah per poor person",
            "poor_count_thousand": "Poor (thousand)",
        },
    )
    figure.update_traces(textposition="top center")
    figure.update_layout(
        title="Is the money going where poverty is deepest? P0 against budget per poor person"
    )
    return figure


def _table(frame: pd.DataFrame, empty: str) -> str:
    if frame.empty:
        return f"<p>{html.escape(empty)}</p>"
    return frame.to_html(index=False, na_rep="", classes="quality", border=0, escape=True)


def build_report(warehouse: Path, folder: Path) -> Path:
    """Write folder/index.html (and Plotly's JavaScript beside it) from the warehouse; returns the page."""
    frames = _frames(warehouse)
    figures = zip(
        CHART_IDS,
        [
            _p0_over_time(frames["profile"]),
            _rupiah_per_poor(frames["budget"]),
            _poverty_vs_budget(frames["budget"]),
        ],
        strict=True,
    )
    charts = "\n".join(
        '<section class="chart">'
        + figure.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id)
        + "</section>"
        for chart_id, figure in figures
    )
    quality = frames["quality"]
    failed = int((quality["status"] != "succeeded").sum()) if not quality.empty else 0
    checks_failed = int(quality["checks_failed"].sum()) if not quality.empty else 0
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>NTT poverty warehouse report</title>
<script src="{PLOTLY_JS}"></script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table.quality {{ border-collapse: collapse; font-size: 0.85rem; }}
table.quality td, table.quality th {{ border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem;
  text-align: left; vertical-align: top; white-space: pre-wrap; }}
</style></head><body>
<h1>NTT poverty warehouse</h1>
<p>Built {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.
Sources: BPS poverty statistics and the province's RAT action plans.</p>
{charts}
<section id="data-quality"><h2>Data quality of the last refresh</h2>
<p>{len(quality)} assets, {failed} not succeeded, {checks_failed} checks failed (warnings included).</p>
{_table(quality, "No refresh recorded yet.")}
<h3>Quarantined files</h3>
{_table(frames["quarantine"], "None: every file was read.")}
</section></body></html>
"""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PLOTLY_JS).write_text(get_plotlyjs(), encoding="utf-8")
    partial = folder / ".index.html.partial"
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, folder / "index.html")
    return folder / "index.html"
