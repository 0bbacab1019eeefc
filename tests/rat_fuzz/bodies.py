"""Matrix bodies to typeset: the real report's cells, or generated matrices with other texts and merges.

A body is a list of rows over `columns`; a cell is its text, "" when really empty, or None when a
vertical merge from the row above covers it (the cell above is then the same table cell).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ingest.rat.header import STANDARD_COLUMNS
from tests.rat_fuzz.vocabulary import (
    FUNDING,
    PERANGKAT_DAERAH,
    PROGRAMS,
    SUB_KEGIATAN,
    TARGET_UNITS,
    gold_phrases,
)
from tests.rat_gold import gold_cells

Cell = str | None


@dataclass(frozen=True)
class Body:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def filled(self) -> list[dict[str, str]]:
        """What the extractor must give per row: a covered cell carries the text of the cell covering it."""
        out: list[dict[str, str]] = []
        for row in self.rows:
            values = {}
            for column, cell in zip(self.columns, row, strict=True):
                values[column] = out[-1][column] if cell is None else " ".join(cell.split())
            out.append(values)
        return out

    def budget_lines(self) -> list[int | None]:
        """Per row, the index of the row whose Pagu cell it shares (None: no budget)."""
        pagu = self.columns.index("pagu")
        lines: list[int | None] = []
        owner: int | None = None
        for r, row in enumerate(self.rows):
            if row[pagu] is not None:
                owner = r if row[pagu].strip() else None
            lines.append(owner)
        return lines


def gold_body() -> Body:
    return Body(tuple(STANDARD_COLUMNS), tuple(tuple(row) for row in gold_cells()))


def _amount(rng: random.Random, style: str) -> tuple[int, str]:
    value = rng.choice([rng.randrange(5, 999) * 1_000_000, rng.randrange(10_000, 9_999_999) * 1_000])
    value += rng.choice([0, 0, rng.randrange(1, 999) * 100])
    if style == "dot":
        return value, f"{value:,}".replace(",", ".")
    if style == "rp":
        return value, "Rp " + f"{value:,}".replace(",", ".") + ",00"
    return value, f"{value:,}"


def _target(rng: random.Random) -> str:
    phrases = gold_phrases()["target_kinerja"]
    if rng.random() < 0.4:
        return rng.choice(phrases)
    unit = rng.choice(TARGET_UNITS)
    if unit == "%":
        return (
            f"{rng.randrange(1, 100)},{rng.randrange(0, 10)}%"
            if rng.random() < 0.5
            else f"{rng.randrange(1, 101)}%"
        )
    number = rng.randrange(1, 5000)
    return (f"{number:,}".replace(",", ".") if number >= 1000 else str(number)) + unit


def _long(rng: random.Random, phrases: list[str], count: int) -> str:
    return ", ".join(rng.sample(phrases, min(count, len(phrases))))


def generated_body(rng: random.Random, columns: tuple[str, ...], tall_rows: bool = True) -> Body:
    """Sectors > programs > activities > indicator rows, each level merged, repeated or given once."""
    gold = gold_phrases()
    amount_style = rng.choice(["comma", "comma", "dot", "rp"])
    # How each hierarchy column spreads over its rows: one merged cell, the text on every row, or the
    # text on the first row and really empty cells under it.
    mode = {c: rng.choice(["merge", "merge", "merge", "repeat", "first"]) for c in columns}
    mode["no"] = "merge"
    rows: list[dict[str, Cell]] = []
    lokasi_pool = [
        *gold["lokasi"],
        "Kab. Sumba Timur",
        "Kab. Alor, Kab. Lembata",
        "Kota Kupang",
        "Semua Kab/Kota",
    ]
    lokasi_long = _long(
        rng,
        [
            f"Kab. {n}"
            for n in [
                "Sumba Barat",
                "Sumba Timur",
                "Kupang",
                "TTS",
                "TTU",
                "Belu",
                "Alor",
                "Lembata",
                "Flores Timur",
                "Sikka",
                "Ende",
                "Ngada",
                "Manggarai",
                "Rote Ndao",
                "Malaka",
            ]
        ],
        15,
    )
    for number in range(1, rng.randint(1, 3) + 1):
        sector_rows: list[dict[str, Cell]] = []
        sector = {
            "no": str(number),
            "sektor": rng.choice(gold["sektor"]),
            "kebijakan": rng.choice(gold["kebijakan"]),
            "sasaran": rng.choice(gold["sasaran"]),
            "indikator_sasaran": rng.choice(gold["indikator_sasaran"]),
        }
        for _program in range(rng.randint(1, 3)):
            program = {
                "program": rng.choice([*PROGRAMS, *gold["program"]]),
                "indikator_program": rng.choice([*gold["indikator_program"], ""]),
                "perangkat_daerah": rng.choice(PERANGKAT_DAERAH),
            }
            program_rows: list[dict[str, Cell]] = []
            for _activity in range(rng.randint(1, 3)):
                activity = {
                    "kegiatan": rng.choice(gold["kegiatan"]),
                    "indikator_kegiatan": rng.choice(gold["indikator_kegiatan"]),
                }
                shared_budget = rng.random() < 0.5
                budget_value, budget_text = _amount(rng, amount_style)
                activity_rows = []
                for i in range(rng.randint(1, 3)):
                    row: dict[str, Cell] = {
                        "sub_kegiatan": rng.choice(SUB_KEGIATAN),
                        "indikator_sub_kegiatan": rng.choice(gold["indikator_kegiatan"]),
                        "lokasi": lokasi_long
                        if rng.random() < 0.04 and tall_rows
                        else rng.choice(lokasi_pool),
                        "target_kinerja": _target(rng),
                    }
                    if rng.random() < 0.03 and tall_rows:  # a row taller than half a page
                        row["sub_kegiatan"] = _long(rng, SUB_KEGIATAN, 8)
                    if shared_budget and i > 0:
                        row["pagu"] = row["realisasi"] = row["sumber_pendanaan"] = None
                    else:
                        if not shared_budget:
                            budget_value, budget_text = _amount(rng, amount_style)
                        spent = int(budget_value * rng.choice([0, 0.5, 0.87, 1.0]))
                        row["pagu"] = budget_text if rng.random() > 0.05 else ""
                        row["realisasi"] = f"{spent:,}" if row["pagu"] and rng.random() > 0.2 else ""
                        row["sumber_pendanaan"] = (
                            rng.choice(FUNDING) if row["pagu"] else rng.choice(["", "APBD"])
                        )
                    activity_rows.append(row)
                program_rows += _spread(activity, activity_rows, mode)
            sector_rows += _spread(program, program_rows, mode)
        rows += _spread(sector, sector_rows, mode)
    return Body(columns, tuple(tuple(row.get(c, "") for c in columns) for row in rows))


def _spread(
    values: dict[str, str], rows: list[dict[str, Cell]], mode: dict[str, str]
) -> list[dict[str, Cell]]:
    """Put a group's values on its rows the way the column's mode says."""
    for i, row in enumerate(rows):
        for column, text in values.items():
            how = mode.get(column, "merge")
            if i == 0 or how == "repeat":
                row[column] = text
            else:
                row[column] = None if how == "merge" else ""
    return rows


def body_with_columns(
    body: Body, columns: tuple[str, ...], rng: random.Random, tall_rows: bool = True
) -> Body:
    """The gold body over another column set: dropped columns go, added ones get generated text."""
    if columns == body.columns:
        return body
    extra = generated_body(rng, columns, tall_rows)
    rows = []
    pagu = body.columns.index("pagu")
    for r, row in enumerate(body.rows):
        new_row: list[Cell] = []
        for column in columns:
            if column in body.columns:
                new_row.append(row[body.columns.index(column)])
            elif column == "realisasi":
                cell = row[pagu]
                new_row.append(None if cell is None else (cell and f"{int(cell.replace(',', '')) // 2:,}"))
            elif column == "perangkat_daerah":
                # Merged like the program: one agency per program cell.
                program = row[body.columns.index("program")]
                new_row.append(None if program is None else PERANGKAT_DAERAH[r % len(PERANGKAT_DAERAH)])
            else:
                new_row.append(extra.rows[r % len(extra.rows)][columns.index(column)] or SUB_KEGIATAN[r % 12])
        rows.append(tuple(new_row))
    return Body(columns, tuple(rows))
