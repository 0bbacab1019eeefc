"""The report's charts other than maps, each built for one language."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from reporting import formatting as fmt
from reporting.i18n import text

REGENCY_COLOUR, PROVINCE_COLOUR = "#c0392b", "#7f8c8d"


def _localised(figure: go.Figure, lang: str) -> go.Figure:
    figure.update_layout(separators=fmt.PLOTLY_SEPARATORS[lang], hoverlabel={"align": "left"})
    return figure


def latest_rat_year(budget: pd.DataFrame) -> int | None:
    return int(budget["year"].max()) if not budget.empty else None


def p0_over_time(profile: pd.DataFrame, lang: str) -> go.Figure:
    """One small chart per area: its P0 line over the years, with the province's beside it."""
    regency_label, province_label = text("series_regency", lang), text("series_province", lang)
    province = profile[profile["is_province"]][["year", "p0"]]
    lines = []
    for name, rows in profile[~profile["is_province"]].groupby("regency_name", sort=False):
        lines.append(rows[["year", "p0"]].assign(series=regency_label, facet=name))
        lines.append(province.assign(series=province_label, facet=name))
    data = pd.concat(lines, ignore_index=True)
    data["hover"] = [
        f"{facet} · {series} · {year}: {fmt.percent(p0, lang)}"
        for facet, series, year, p0 in zip(
            data["facet"], data["series"], data["year"], data["p0"], strict=True
        )
    ]
    figure = px.line(
        data,
        x="year",
        y="p0",
        color="series",
        facet_col="facet",
        facet_col_wrap=6,
        facet_row_spacing=0.06,
        height=900,
        custom_data=["hover"],
        labels={"p0": text("p0", lang), "year": "", "series": ""},
        color_discrete_map={regency_label: REGENCY_COLOUR, province_label: PROVINCE_COLOUR},
    )
    figure.update_traces(hovertemplate="%{customdata[0]}<extra></extra>")
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    figure.update_layout(title=text("trend_title", lang), legend_title="")
    return _localised(figure, lang)


def _budget_hover(budget: pd.DataFrame, lang: str) -> list[str]:
    return [
        f"<b>{row.regency_name}</b><br>{text('rupiah_per_poor', lang)}: "
        f"{fmt.rupiah(row.rupiah_per_poor_person, lang)}<br>"
        f"{text('allocated', lang)}: {fmt.rupiah(row.allocated_pagu, lang)}<br>"
        f"{text('poor', lang)}: {fmt.thousand_people(row.poor_count_thousand, lang)}<br>"
        f"{text('p0_long', lang)}: {fmt.percent(row.p0, lang)}"
        for row in budget.itertuples()
    ]


def rupiah_per_poor(budget: pd.DataFrame, lang: str) -> go.Figure:
    """Bars of rupiah per poor person in the latest RAT year, coloured by P0."""
    year = latest_rat_year(budget)
    rows = budget[budget["year"] == year].sort_values("rupiah_per_poor_person")
    low, high = rows["p0"].min(), rows["p0"].max()
    span = (high - low) or 1.0
    # Colours computed here: plotly.js 3 warns on every bar given numbers as marker colours.
    colours = sample_colorscale("Reds", [0.15 + 0.85 * (p0 - low) / span for p0 in rows["p0"].fillna(low)])
    figure = go.Figure(
        [
            go.Bar(
                x=rows["rupiah_per_poor_person"],
                y=rows["regency_name"],
                orientation="h",
                marker={"color": colours},
                hovertext=_budget_hover(rows, lang),
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
            ),
            go.Scatter(  # carries the colour bar only
                x=[None],
                y=[None],
                mode="markers",
                marker={
                    "color": [low],
                    "cmin": low - 0.15 * span / 0.85,
                    "cmax": high,
                    "colorscale": "Reds",
                    "showscale": True,
                    "colorbar": {"title": {"text": text("p0", lang)}},
                },
                hoverinfo="skip",
                showlegend=False,
            ),
        ]
    )
    figure.update_layout(
        title=text("bar_title", lang, year=year),
        height=650,
        xaxis={"title": {"text": text("rupiah_per_poor", lang)}, "tickprefix": "Rp ", "tickformat": ",.0f"},
    )
    return _localised(figure, lang)


def poverty_vs_budget(budget: pd.DataFrame, lang: str) -> go.Figure:
    """P0 against rupiah per poor person, bubbles sized by the number of poor."""
    year = latest_rat_year(budget)
    # A regency without a number poor has neither a bubble size nor a height: it is left out, not drawn at 0.
    rows = budget[budget["year"] == year].dropna(subset=["rupiah_per_poor_person", "poor_count_thousand"])
    rows = rows.assign(hover=_budget_hover(rows, lang))
    figure = px.scatter(
        rows,
        x="p0",
        y="rupiah_per_poor_person",
        size="poor_count_thousand",
        text="regency_name",
        height=600,
        custom_data=["hover"],
        labels={
            "p0": text("p0", lang),
            "rupiah_per_poor_person": text("rupiah_per_poor", lang),
            "poor_count_thousand": text("poor_thousand", lang),
        },
    )
    figure.update_traces(textposition="top center", hovertemplate="%{customdata[0]}<extra></extra>")
    figure.update_layout(
        title=text("scatter_title", lang, year=year), yaxis_tickprefix="Rp ", yaxis_tickformat=",.0f"
    )
    return _localised(figure, lang)


def _figure_text(value: float | None, unit: str | None, lang: str) -> str:
    if unit == "percent":
        return fmt.percent(value, lang)
    if isinstance(unit, str) and unit.startswith("rupiah"):
        return fmt.rupiah(value, lang)
    if unit == "thousand people":
        return fmt.thousand_people(value, lang)
    return fmt.number(value, 2, lang)


def targets_vs_outcomes(targets: pd.DataFrame, lang: str) -> go.Figure | None:
    """For each RAT row naming a measured indicator: the BPS figure before, in and after the plan year,
    and the target where it is a number in the indicator's unit. One panel per indicator."""
    measured = (
        targets[targets["outcome_value"].notna() | targets["latest_value"].notna()] if len(targets) else []
    )
    if len(measured) == 0:
        return None
    indicators = list(dict.fromkeys(measured["indicator_code"]))
    name_column = "indicator_name_id" if lang == "id" else "indicator_name"
    titles = [measured.loc[measured["indicator_code"] == code, name_column].iloc[0] for code in indicators]
    heights = [measured[measured["indicator_code"] == code].shape[0] for code in indicators]
    height = 200 + 70 * sum(heights) + 90 * len(indicators)
    figure = make_subplots(
        rows=len(indicators),
        cols=1,
        subplot_titles=titles,
        row_heights=heights,
        vertical_spacing=min(0.3, 90 / height) if len(indicators) > 1 else 0.0,
    )
    series = [
        ("baseline", "baseline_value", "baseline_year", "#95a5a6", "circle"),
        ("outcome", "outcome_value", "year", REGENCY_COLOUR, "circle"),
        ("latest", "latest_value", "latest_year", "#2c3e50", "circle-open"),
        ("target", "target_value", "year", "#27ae60", "diamond"),
    ]
    for index, code in enumerate(indicators, start=1):
        rows = measured[measured["indicator_code"] == code]
        labels = [f"{row.regency_name} · RAT {row.year} #{row.row_number}" for row in rows.itertuples()]
        for key, column, year_column, colour, symbol in series:
            values = rows[column].where(rows["target_is_comparable"]) if key == "target" else rows[column]
            hover = [
                f"<b>{label}</b><br>{text(key, lang)} ({year}): {_figure_text(value, unit, lang)}"
                + (f"<br>{text('col_target', lang)}: {target}" if key == "target" else "")
                for label, year, value, unit, target in zip(
                    labels,
                    rows[year_column],
                    values,
                    rows["indicator_unit"],
                    rows["target_text"],
                    strict=True,
                )
            ]
            figure.add_trace(
                go.Scatter(
                    x=values,
                    y=labels,
                    mode="markers",
                    name=text(key, lang),
                    legendgroup=key,
                    showlegend=index == 1,
                    marker={
                        "color": colour,
                        "symbol": symbol,
                        "size": 13,
                        "line": {"width": 2, "color": colour},
                    },
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                ),
                row=index,
                col=1,
            )
    figure.update_layout(
        title=text("targets_title", lang),
        height=height,
        legend={"orientation": "h", "yanchor": "top", "y": -60 / height},
        margin={"l": 260},
    )
    return _localised(figure, lang)
