"""Table rules in a page image: the horizontal and vertical ruling segments a scanner kept.

A rule is a run of ink much longer than any stroke of a letter. Runs are found pixel row by pixel row
(column by column for vertical rules); runs on one row separated by a gap of a pixel or two (toner
breaks, noise) are one run; runs on neighbouring rows that overlap are one rule, even when a slight
residual skew walks it across rows. Each rule is kept as the segment it is, never extended across the
page, so merged cells (where a rule stops) survive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings


@dataclass(frozen=True)
class Segment:
    """A rule in pixels; a horizontal rule has top == bottom, a vertical one x0 == x1."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Runs:
    """Long runs of ink along pixel rows: row index, first pixel, one past the last pixel."""

    rows: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def ink(gray: np.ndarray) -> np.ndarray:
    """Ink pixels of a grayscale page: darker than Otsu's threshold between ink and paper."""
    histogram = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(histogram)
    mass = np.cumsum(histogram * levels)
    total, total_mass = weight[-1], mass[-1]
    background = total - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight - mass * total) ** 2 / (weight * background)
    between[~np.isfinite(between)] = 0
    threshold = int(np.argmax(between))
    return gray <= threshold


def _long_runs(mask: np.ndarray, min_length: int, gap: int, min_fill: float) -> Runs:
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    if len(rows) == 0:
        return Runs(rows, starts, ends)
    # np.nonzero walks row by row, left to right, so runs are already in (row, start) order.
    new = np.ones(len(rows), bool)
    new[1:] = (rows[1:] != rows[:-1]) | (starts[1:] - ends[:-1] > gap)
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(rows)) - 1
    filled = np.add.reduceat(ends - starts, first)
    rows, starts, ends = rows[first], starts[first], ends[last]
    # A rule is solid ink but for a few breaks; a line of bold letters, whose gaps the gap closing
    # bridges, leaves much more paper between its strokes.
    keep = (ends - starts >= min_length) & (filled >= min_fill * (ends - starts))
    return Runs(rows[keep], starts[keep], ends[keep])


@dataclass(frozen=True)
class _Rule:
    """A rule in (row, along) terms of the image it was found in: the pixel rows it covers and its centre."""

    first_row: int
    last_row: int
    start: int
    end: int
    centre: float


def _rules(runs: Runs, max_thickness: int) -> list[_Rule]:
    """Runs on adjacent rows that overlap belong to one rule."""
    groups: list[list[float]] = []  # first row, last row, start, end, ink pixels, ink-weighted row sum
    previous_row = -2
    reaching_previous: list[int] = []
    reaching_current: list[int] = []
    for row, start, end in zip(runs.rows.tolist(), runs.starts.tolist(), runs.ends.tolist(), strict=True):
        if row != previous_row:
            reaching_previous = reaching_current if row == previous_row + 1 else []
            reaching_current = []
            previous_row = row
        match = next((g for g in reaching_previous if start < groups[g][3] and end > groups[g][2]), None)
        length = end - start
        if match is None:
            groups.append([row, row, start, end, length, row * length])
            match = len(groups) - 1
        else:
            group = groups[match]
            group[1] = row
            group[2], group[3] = min(group[2], start), max(group[3], end)
            group[4] += length
            group[5] += row * length
        if match not in reaching_current:
            reaching_current.append(match)
    return [
        _Rule(int(first), int(last), int(start), int(end), row_sum / weight)
        for first, last, start, end, weight, row_sum in groups
        # ink per unit of length: a thin rule stays thin even when skew spreads it over several rows
        if weight / max(end - start, 1) <= max_thickness
    ]


def _crossing(rule: _Rule, others: list[_Rule], reach: float) -> bool:
    """Whether a perpendicular rule meets this one (touches or crosses it, within `reach` pixels)."""
    return any(
        other.start - reach <= rule.centre <= other.end + reach
        and rule.start - reach <= other.centre <= rule.end + reach
        for other in others
    )


@dataclass(frozen=True)
class Rules:
    """The rules of a page, in pixels: horizontal segments have top == bottom, vertical ones x0 == x1."""

    horizontal: list[Segment]
    vertical: list[Segment]
    bands: list[tuple[int, int, int, int]]  # pixel rectangles [x0, x1) x [top, bottom) of the rules' ink

    def erase(self, gray: np.ndarray, margin: int = 1) -> np.ndarray:
        """The page without its rules (painted paper-white), so they are not read as letters."""
        clean = gray.copy()
        for x0, top, x1, bottom in self.bands:
            clean[max(top - margin, 0) : bottom + margin, max(x0 - margin, 0) : x1 + margin] = 255
        return clean


def ruling(dark: np.ndarray, dpi: float, *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> Rules:
    """Horizontal and vertical rules of a page's ink mask.

    A rule must meet a rule of the other direction: table rules meet at the table's corners and cell
    edges, while a run of touching bold letters, long enough to pass for a rule, meets none.
    """
    min_length = max(round(settings.min_rule_points * dpi / 72), 8)
    gap = max(round(settings.rule_gap_points * dpi / 72), 1)
    thickness = max(round(settings.max_rule_thickness_points * dpi / 72), 2)
    reach = settings.rule_reach_points * dpi / 72
    fill = settings.min_rule_fill
    across = _rules(_long_runs(dark, min_length, gap, fill), thickness)
    down = _rules(_long_runs(np.ascontiguousarray(dark.T), min_length, gap, fill), thickness)
    across_kept = [r for r in across if _crossing(r, down, reach)]
    down_kept = [r for r in down if _crossing(r, across, reach)]
    return Rules(
        [Segment(float(r.start), r.centre, float(r.end), r.centre) for r in across_kept],
        [Segment(r.centre, float(r.start), r.centre, float(r.end)) for r in down_kept],
        [(r.start, r.first_row, r.end, r.last_row + 1) for r in across_kept]
        + [(r.first_row, r.start, r.last_row + 1, r.end) for r in down_kept],
    )
