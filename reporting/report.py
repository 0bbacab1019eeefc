"""The static HTML report of a warehouse: Bahasa Indonesia by default, English one click away, offline.

Both languages are in the one page; a language's charts are drawn the first time it is shown. Plotly's
JavaScript sits beside the page and the kab/kota boundaries are embedded once, so the page opens without
any network. `#en` / `#id` in the address opens it in that language (the switch sets it too).
"""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from reporting import charts, maps
from reporting import formatting as fmt
from reporting.data import ReportData, read_report_data
from reporting.geo import regency_geojson
from reporting.i18n import DEFAULT_LANGUAGE, LANGUAGES, TEXTS, text

PLOTLY_JS = "plotly.min.js"
# The report's charts, in page order; each is drawn once per language as "<id>-<lang>".
CHART_IDS = [
    "map-p0",
    "map-rupiah",
    "map-extreme",
    "targets-vs-outcomes",
    "rupiah-per-poor-person",
    "poverty-vs-budget",
    "p0-over-time",
]
MAP_IDS = ["map-p0", "map-rupiah", "map-extreme"]

_INDONESIAN_PLOTLY_LOCALE = {
    "moduleType": "locale",
    "name": "id",
    "dictionary": {
        "Download plot as a png": "Unduh grafik sebagai PNG",
        "Download plot": "Unduh grafik",
        "Zoom": "Perbesar area",
        "Pan": "Geser",
        "Zoom in": "Perbesar",
        "Zoom out": "Perkecil",
        "Autoscale": "Skala otomatis",
        "Reset axes": "Atur ulang sumbu",
        "Reset view": "Atur ulang tampilan",
        "Box Select": "Pilih kotak",
        "Lasso Select": "Pilih laso",
        "Show closest data on hover": "Tampilkan data terdekat",
        "Compare data on hover": "Bandingkan data",
        "Toggle Spike Lines": "Garis bantu",
        "Double-click to zoom back out": "Klik dua kali untuk kembali",
        "Click to enter Colorscale title": "Klik untuk judul skala warna",
    },
    "format": {
        "decimal": ",",
        "thousands": ".",
        "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
        "months": [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember",
        ],
        "shortMonths": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    },
}

_EMPTY_TOPOJSON = {
    "type": "Topology",
    "arcs": [],
    "objects": {
        name: {"type": "GeometryCollection", "geometries": []}
        for name in ("countries", "subunits", "coastlines", "land", "ocean", "lakes", "rivers")
    },
}

_SCRIPT = """
(function () {
  Plotly.register(INDONESIAN_LOCALE);
  // plotly.js downloads a world base map for every geo subplot, even with the base map hidden.
  // Ours draws only the bundled kab/kota boundaries, so it gets an empty base map and never goes online.
  ['world_110m', 'world_50m'].forEach(function (name) {
    PlotlyGeoAssets.topojson[name] = PlotlyGeoAssets.topojson[name] || EMPTY_TOPOJSON;
  });
  var drawn = {};
  function draw(lang) {
    if (drawn[lang]) { return; }
    drawn[lang] = true;
    document.querySelectorAll('script[type="application/json"][data-lang="' + lang + '"]').forEach(
      function (spec) {
        var figure = JSON.parse(spec.textContent);
        figure.data.forEach(function (trace) {
          if (trace.type === 'choropleth') { trace.geojson = NTT_KABKOTA; }
        });
        Plotly.newPlot(spec.dataset.target, figure.data, figure.layout,
          {responsive: true, displaylogo: false, locale: lang === 'id' ? 'id' : 'en'});
      });
  }
  function setLanguage(lang) {
    if (LANGUAGES.indexOf(lang) < 0) { lang = DEFAULT_LANGUAGE; }
    document.documentElement.lang = lang;
    document.title = TITLES[lang];
    document.querySelectorAll('[data-lang-block]').forEach(function (block) {
      block.hidden = block.dataset.langBlock !== lang;
    });
    document.querySelectorAll('button[data-set-lang]').forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.dataset.setLang === lang));
    });
    draw(lang);
    document.querySelectorAll('[data-lang-block="' + lang + '"] .js-plotly-plot').forEach(function (plot) {
      Plotly.Plots.resize(plot);
    });
  }
  document.querySelectorAll('button[data-set-lang]').forEach(function (button) {
    button.addEventListener('click', function () {
      history.replaceState(null, '', '#' + button.dataset.setLang);
      setLanguage(button.dataset.setLang);
    });
  });
  window.addEventListener('hashchange', function () { setLanguage(location.hash.slice(1)); });
  setLanguage(location.hash.slice(1) || DEFAULT_LANGUAGE);
})();
"""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1400px; }
nav.language { position: sticky; top: 0; background: #fff; padding: 0.4rem 0; z-index: 10; }
nav.language button { font: inherit; padding: 0.3rem 0.8rem; border: 1px solid #888; background: #fff;
  cursor: pointer; border-radius: 3px; }
nav.language button[aria-pressed="true"] { background: #222; color: #fff; }
table.data { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1.5rem; }
table.data td, table.data th { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem;
  text-align: left; vertical-align: top; white-space: pre-wrap; }
table.data td.number { text-align: right; white-space: nowrap; }
p.note { color: #555; font-size: 0.85rem; }
section.chart { margin: 1rem 0 2rem; }
"""


def _json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _chart(chart_id: str, lang: str, figure: go.Figure | None, missing: str = "") -> str:
    target = f"{chart_id}-{lang}"
    if figure is None:
        return f'<section class="chart" id="{target}"><p class="note">{html.escape(missing)}</p></section>'
    spec = pio.to_json(figure, validate=False, engine="json").replace("</", "<\\/")
    return (
        f'<section class="chart"><div id="{target}" class="plot"></div>'
        f'<script type="application/json" data-lang="{lang}" data-target="{target}">{spec}</script></section>'
    )


def _cell(value: object, lang: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt.number(value, 0 if float(value).is_integer() else 2, lang)
    return str(value)


def _table(frame: pd.DataFrame, headers: dict[str, str], lang: str, numeric: set[str] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for label in headers.values())
    body = []
    for row in frame[list(headers)].itertuples(index=False):
        cells = []
        for column, value in zip(headers, row, strict=True):
            shown = _cell(value, lang)
            css = ' class="number"' if column in numeric else ""
            cells.append(f"<td{css}>{html.escape(shown)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _summary(data: ReportData, lang: str) -> str:
    items = []
    province = data.profile[data.profile["is_province"]]
    if not province.empty:
        latest = province.sort_values("year").iloc[-1]
        items.append(
            text(
                "summary_p0",
                lang,
                year=int(latest["year"]),
                p0=fmt.percent(latest["p0"], lang),
                poor=fmt.thousand_people(latest["poor_count_thousand"], lang),
            )
        )
    year = charts.latest_rat_year(data.budget)
    if year is not None:
        rows = data.budget[data.budget["year"] == year]
        items.append(
            text(
                "summary_budget",
                lang,
                year=year,
                total=fmt.rupiah(rows["total_pagu"].iloc[0], lang),
                allocated=fmt.rupiah(rows["allocated_pagu"].sum(), lang),
                province_wide=fmt.rupiah(rows["province_wide_pagu"].iloc[0], lang),
            )
        )
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def _figure_cell(value: float | None, unit: str | None, lang: str) -> str:
    if value is None or pd.isna(value):
        return fmt.NO_VALUE
    if unit == "percent":
        return fmt.percent(value, lang)
    if isinstance(unit, str) and unit.startswith("rupiah"):
        return fmt.rupiah(value, lang)
    return fmt.number(value, 2, lang)


def _targets_table(targets: pd.DataFrame, lang: str) -> str:
    if targets.empty:
        return f'<p class="note">{html.escape(text("targets_none", lang))}</p>'

    def met(row: pd.Series) -> str:
        if not row["indicator_in_warehouse"]:
            return text("not_in_warehouse", lang)
        if pd.isna(row["target_met"]):
            return text("met_na", lang)
        return text("met_yes" if row["target_met"] else "met_no", lang)

    def figure(value_column: str, year_column: str) -> pd.Series:
        return targets.apply(
            lambda row: (
                _figure_cell(row[value_column], row["indicator_unit"], lang)
                + ("" if pd.isna(row[year_column]) else f" ({int(row[year_column])})")
            ),
            axis=1,
        )

    frame = pd.DataFrame(
        {
            "rat": [f"RAT {y} #{n}" for y, n in zip(targets["year"], targets["row_number"], strict=True)],
            "indicator": targets["indicator_name_id" if lang == "id" else "indicator_name"],
            "rat_text": targets["matched_text"],
            "area": targets["regency_name"],
            "target": targets["target_text"],
            "baseline": figure("baseline_value", "baseline_year"),
            "outcome": targets.apply(
                lambda row: _figure_cell(row["outcome_value"], row["indicator_unit"], lang), axis=1
            ),
            "latest": figure("latest_value", "latest_year"),
            "met": targets.apply(met, axis=1),
        }
    )
    headers = {
        "rat": text("col_rat", lang),
        "indicator": text("col_indicator", lang),
        "rat_text": text("col_rat_text", lang),
        "area": text("col_area", lang),
        "target": text("col_target", lang),
        "baseline": text("baseline", lang),
        "outcome": text("col_outcome", lang),
        "latest": text("col_latest", lang),
        "met": text("col_met", lang),
    }
    return _table(frame, headers, lang, numeric={"baseline", "outcome", "latest"})


def _quality_section(data: ReportData, lang: str) -> str:
    quality = data.quality
    failed = int((quality["status"] != "succeeded").sum()) if not quality.empty else 0
    checks_failed = int(quality["checks_failed"].sum()) if not quality.empty else 0
    summary = text("quality_summary", lang, assets=len(quality), failed=failed, checks_failed=checks_failed)
    if not quality.empty:
        quality = quality.assign(
            status=[
                text(f"status_{status}", lang) if f"status_{status}" in TEXTS else status
                for status in quality["status"]
            ]
        )
    quality_table = (
        _table(
            quality,
            {
                "asset": text("col_asset", lang),
                "status": text("col_status", lang),
                "rows_out": text("col_rows_out", lang),
                "rows_rejected": text("col_rows_rejected", lang),
                "checks_passed": text("col_checks_passed", lang),
                "checks_failed": text("col_checks_failed", lang),
                "check_summary": text("col_check_summary", lang),
            },
            lang,
            numeric={"rows_out", "rows_rejected", "checks_passed", "checks_failed"},
        )
        if not quality.empty
        else f"<p>{html.escape(text('quality_none', lang))}</p>"
    )
    quarantine = (
        _table(
            data.quarantine,
            {
                "source": text("col_source", lang),
                "source_file": text("col_source_file", lang),
                "reason": text("col_reason", lang),
            },
            lang,
        )
        if not data.quarantine.empty
        else f"<p>{html.escape(text('quarantine_none', lang))}</p>"
    )
    return (
        f'<section id="data-quality-{lang}"><h2>{html.escape(text("quality_heading", lang))}</h2>'
        f"<p>{html.escape(summary)}</p>{quality_table}"
        f"<h3>{html.escape(text('quarantine_heading', lang))}</h3>{quarantine}</section>"
    )


def _language_block(data: ReportData, lang: str, built: str) -> str:
    def heading(key: str) -> str:
        return f"<h2>{html.escape(text(key, lang))}</h2>"

    return "\n".join(
        [
            f'<div data-lang-block="{lang}" lang="{lang}"{"" if lang == DEFAULT_LANGUAGE else " hidden"}>',
            f"<h1>{html.escape(text('page_title', lang))}</h1>",
            f"<p>{html.escape(text('intro', lang, built=built))}</p>",
            heading("summary_heading"),
            _summary(data, lang),
            heading("maps_heading"),
            f'<p class="note">{html.escape(text("maps_note", lang))}</p>',
            _chart("map-p0", lang, maps.p0_map(data.profile, data.programs, lang)),
            _chart("map-rupiah", lang, maps.rupiah_map(data.budget, data.programs, lang)),
            _chart(
                "map-extreme", lang, maps.extreme_poverty_map(data.extreme, lang), text("no_extreme", lang)
            ),
            heading("targets_heading"),
            f"<p>{html.escape(text('targets_intro', lang))}</p>",
            _chart(
                "targets-vs-outcomes",
                lang,
                charts.targets_vs_outcomes(data.targets, lang),
                text("targets_none", lang),
            ),
            _targets_table(data.targets, lang),
            heading("budget_heading"),
            _chart("rupiah-per-poor-person", lang, charts.rupiah_per_poor(data.budget, lang)),
            _chart("poverty-vs-budget", lang, charts.poverty_vs_budget(data.budget, lang)),
            heading("trend_heading"),
            _chart("p0-over-time", lang, charts.p0_over_time(data.profile, lang)),
            _quality_section(data, lang),
            "</div>",
        ]
    )


def report_html(data: ReportData, built: datetime) -> str:
    """The whole page, both languages, as one HTML string (Plotly's JavaScript loaded from beside it)."""
    stamp = f"{built:%Y-%m-%d %H:%M}"
    blocks = "\n".join(_language_block(data, lang, stamp) for lang in LANGUAGES)
    buttons = "".join(
        f'<button type="button" data-set-lang="{lang}" lang="{lang}" '
        f'aria-pressed="{str(lang == DEFAULT_LANGUAGE).lower()}">{html.escape(text("language_name", lang))}'
        "</button> "
        for lang in LANGUAGES
    )
    switch_label = " / ".join(text("switch_to", lang) for lang in LANGUAGES)
    settings = (
        f"var NTT_KABKOTA = {_json(regency_geojson())};\n"
        f"var INDONESIAN_LOCALE = {_json(_INDONESIAN_PLOTLY_LOCALE)};\n"
        f"var EMPTY_TOPOJSON = {_json(_EMPTY_TOPOJSON)};\n"
        f"var LANGUAGES = {_json(list(LANGUAGES))};\n"
        f"var DEFAULT_LANGUAGE = {_json(DEFAULT_LANGUAGE)};\n"
        f"var TITLES = {_json({lang: text('page_title', lang) for lang in LANGUAGES})};\n"
    )
    return f"""<!doctype html>
<html lang="{DEFAULT_LANGUAGE}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(text("page_title", DEFAULT_LANGUAGE))}</title>
<script src="{PLOTLY_JS}"></script>
<style>{_STYLE}</style></head><body>
<nav class="language" aria-label="{html.escape(switch_label)}">
{buttons}</nav>
{blocks}
<script>
{settings}{_SCRIPT}</script>
</body></html>
"""


def build_report(database: Path, out_dir: Path) -> Path:
    """Write out_dir/index.html (and Plotly's JavaScript beside it) from the warehouse; returns the page.

    Reads the warehouse file read-only and nothing else: no network, at build time or when the page opens.
    """
    page = report_html(read_report_data(database), datetime.now(UTC))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / PLOTLY_JS).write_text(get_plotlyjs(), encoding="utf-8")
    partial = out_dir / ".index.html.partial"
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, out_dir / "index.html")
    return out_dir / "index.html"
