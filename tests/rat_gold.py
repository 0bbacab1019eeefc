"""The RAT NTT 2023 ground truth (tests/fixtures/rat_gold, from shared/data/rat/gold)."""

import csv
import json
from pathlib import Path

from ingest.rat.header import STANDARD_COLUMNS

GOLD_DIR = Path(__file__).parent / "fixtures" / "rat_gold"
GOLD_TEXT_COLUMNS = STANDARD_COLUMNS


def gold_rows() -> list[dict[str, str]]:
    with (GOLD_DIR / "rat_ntt_2023_rows.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def gold_csv_header() -> list[str]:
    with (GOLD_DIR / "rat_ntt_2023_rows.csv").open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def gold_cells() -> list[list[str | None]]:
    return json.loads((GOLD_DIR / "rat_ntt_2023_cells.json").read_text(encoding="utf-8"))["rows"]


def gold_locations() -> list[dict[str, str]]:
    with (GOLD_DIR / "rat_ntt_2023_locations.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def differences(rows, skip_uncertain: bool = False) -> list[str]:
    """Every cell where extracted rows differ from the gold, as readable lines."""
    found = []
    gold = gold_rows()
    cells = gold_cells()
    if len(rows) != len(gold):
        found.append(f"{len(rows)} rows extracted, gold has {len(gold)}")
    for row, expected, raw in zip(rows, gold, cells, strict=False):
        uncertain = set(row.uncertain_columns.split()) if skip_uncertain else set()
        for column in [*GOLD_TEXT_COLUMNS, "budget_line"]:
            if column in uncertain or (column == "budget_line" and "pagu" in uncertain):
                continue
            value = getattr(row, column)
            got = "" if value is None else str(value)
            if got != expected[column]:
                found.append(f"row {expected['row']} {column}: {got!r} != {expected[column]!r}")
        covered = [c for c, v in zip(GOLD_TEXT_COLUMNS, raw, strict=True) if v is None and c not in uncertain]
        got_covered = [c for c in row.covered_columns.split() if c not in uncertain]
        if got_covered != covered:
            found.append(f"row {expected['row']} covered {got_covered} != {covered}")
    return found
