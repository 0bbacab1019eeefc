"""Choropleth maps of the 22 kab/kota, drawn offline from the bundled GeoJSON (no tile server).

Each map is one trace over the 22 areas; a slider swaps its values (and title) year by year, so the
boundaries are in the page once, whatever the number of years. The GeoJSON itself is attached in the page
(reporting.page), not stored in every figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from reporting import formatting as fmt
from reporting.geo import FEATURE_ID_KEY, regency_codes
from reporting.i18n import text

PROGRAMS_IN_HOVER = 5
PROGRAM_CHARS = 70


@dataclass(frozen=True)
class MapYear:
    year: int
    locations: list[str]  # BPS codes as strings, the GeoJSON's properties.bps_code
    values: list[float | None]
    hover: list[str]


def _program_lines(programs: pd.DataFrame, bps_code: int, year: int, lang: str) -> list[str]:
    names = programs.loc[(programs["bps_code"] == bps_code) & (programs["year"] == year), "program"].tolist()
    lines = [f"<b>{text('programs_reaching', lang, year=year)}</b>"]
    if not names:
        return [*lines, text("no_programs", lang)]
    shown = [name if len(name) <= PROGRAM_CHARS else name[: PROGRAM_CHARS - 1] + "…" for name in names]
    lines += [f"• {name}" for name in shown[:PROGRAMS_IN_HOVER]]
    if len(names) > PROGRAMS_IN_HOVER:
        lines.append(text("more_programs", lang, count=len(names) - PROGRAMS_IN_HOVER))
    return lines


def _choropleth(
    years: list[MapYear],
    title: Callable[[int], str],
    colorbar_title: str,
    colorscale: str,
    lang: str,
    ticksuffix: str = "",
    tickformat: str = "",
) -> go.Figure:
    values = [v for year in years for v in year.values if v is not None and not pd.isna(v)]
    latest = years[-1]
    every_area = regency_codes()
    # A grey layer of all 22 areas under the data, so an area without a figure that year still shows.
    base = go.Choropleth(
        locations=every_area,
        z=[0] * len(every_area),
        featureidkey=FEATURE_ID_KEY,
        colorscale=[[0, "#e3e3e3"], [1, "#e3e3e3"]],
        showscale=False,
        hoverinfo="skip",
        marker_line_color="#ffffff",
        marker_line_width=0.6,
    )
    figure = go.Figure(
        [
            base,
            go.Choropleth(
                locations=latest.locations,
                z=latest.values,
                text=latest.hover,
                featureidkey=FEATURE_ID_KEY,
                hovertemplate="%{text}<extra></extra>",
                colorscale=colorscale,
                zmin=min(values) if values else None,
                zmax=max(values) if values else None,
                marker_line_color="#ffffff",
                marker_line_width=0.6,
                colorbar={
                    "title": {"text": colorbar_title},
                    "ticksuffix": ticksuffix,
                    "tickformat": tickformat,
                },
            ),
        ]
    )
    # Near 10° S an equirectangular projection is as true as Mercator, and plotly.js fits it to the page.
    figure.update_geos(fitbounds="locations", visible=False, projection_type="equirectangular")
    figure.update_layout(
        title=title(latest.year),
        height=640,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        separators=fmt.PLOTLY_SEPARATORS[lang],
        hoverlabel={"align": "left"},
    )
    if len(years) > 1:
        figure.update_layout(
            sliders=[
                {
                    "active": len(years) - 1,
                    "currentvalue": {"prefix": f"{text('year', lang)}: "},
                    "pad": {"t": 10},
                    "steps": [
                        {
                            "label": str(year.year),
                            "method": "update",
                            "args": [
                                {"z": [year.values], "text": [year.hover], "locations": [year.locations]},
                                {"title.text": title(year.year)},
                                [1],
                            ],
                        }
                        for year in years
                    ],
                }
            ]
        )
    return figure


def _map_years(
    frame: pd.DataFrame, value: str, hover_lines: Callable[[object, int], list[str]]
) -> list[MapYear]:
    """One MapYear a year of `frame`: its areas, their `value`, and a hover of `hover_lines(row, year)`."""
    return [
        MapYear(
            int(year),
            [str(code) for code in rows["bps_code"]],
            rows[value].tolist(),
            ["<br>".join(hover_lines(row, int(year))) for row in rows.itertuples()],
        )
        for year, rows in frame.groupby("year", sort=True)
    ]


def _p0_line(row: object, lang: str) -> str:
    """P0 and, where there is one, the rank among the 22."""
    rank = row.p0_rank
    ranked = f" · {text('rank', lang)}: {int(rank)}" if not pd.isna(rank) else ""
    return f"{text('p0_long', lang)}: {fmt.percent(row.p0, lang)}{ranked}"


def p0_map(profile: pd.DataFrame, programs: pd.DataFrame, lang: str) -> go.Figure:
    """P0 of the 22 areas, one slider step per year; the hover has the year's figures and RAT programs."""
    plan_years = set(programs["year"])

    def hover(row, year: int) -> list[str]:
        lines = [
            f"<b>{row.regency_name}</b> ({year})",
            _p0_line(row, lang),
            f"{text('poor', lang)}: {fmt.thousand_people(row.poor_count_thousand, lang)}",
            f"{text('change', lang)}: {fmt.points(row.p0_change, lang)}",
            f"{text('gap', lang)}: {fmt.points(row.p0_gap_to_province, lang)}",
            f"{text('poverty_line', lang)}: {fmt.rupiah(row.poverty_line, lang)} "
            f"{text('per_capita_month', lang)}",
        ]
        return lines + (_program_lines(programs, row.bps_code, year, lang) if year in plan_years else [])

    return _choropleth(
        _map_years(profile[~profile["is_province"]], "p0", hover),
        lambda year: text("map_p0_title", lang, year=year),
        text("p0", lang),
        "Reds",
        lang,
        ticksuffix=" %" if lang == "id" else "%",
    )


def rupiah_map(budget: pd.DataFrame, programs: pd.DataFrame, lang: str) -> go.Figure:
    """Rupiah per poor person of each RAT year; the hover has the money, the poor and the programs."""

    def hover(row, year: int) -> list[str]:
        return [
            f"<b>{row.regency_name}</b> (RAT {year})",
            f"{text('rupiah_per_poor', lang)}: {fmt.rupiah(row.rupiah_per_poor_person, lang)}",
            f"{text('allocated', lang)}: {fmt.rupiah(row.allocated_pagu, lang)}",
            f"{text('poor', lang)} ({row.poverty_year}): "
            f"{fmt.thousand_people(row.poor_count_thousand, lang)}",
            _p0_line(row, lang),
            *_program_lines(programs, row.bps_code, year, lang),
        ]

    return _choropleth(
        _map_years(budget, "rupiah_per_poor_person", hover),
        lambda year: text("map_rupiah_title", lang, year=year),
        text("rupiah_per_poor", lang),
        "Blues",
        lang,
        tickformat=",.0f",
    )


def extreme_poverty_map(extreme: pd.DataFrame, lang: str) -> go.Figure | None:
    """Extreme poverty by regency and year, or None while the warehouse has no such figures."""
    if extreme.empty:
        return None

    def hover(row, year: int) -> list[str]:
        producer = row.extreme_poverty_producer
        return [
            f"<b>{row.regency_name}</b> ({year})",
            f"{text('extreme_rate', lang)}: {fmt.percent(row.p0_extreme, lang)}",
            f"{text('extreme_count', lang)}: {fmt.thousand_people(row.poor_extreme_count_thousand, lang)}",
            *(
                [f"{text('extreme_producer', lang)}: {producer}"]
                if isinstance(producer, str) and producer
                else []
            ),
        ]

    return _choropleth(
        _map_years(extreme, "p0_extreme", hover),
        lambda year: text("map_extreme_title", lang, year=year),
        text("extreme_rate", lang),
        "Purples",
        lang,
        ticksuffix=" %" if lang == "id" else "%",
    )
