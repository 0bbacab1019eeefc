"""An extraction against what was typeset: every cell right, flagged as uncertain, or wrong."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ingest.rat.extract import RatDocument
from ingest.rat.header import COLUMNS
from ingest.rat.numbers import parse_rupiah
from tests.rat_fuzz.spec import LayoutSpec


@dataclass
class Score:
    seed: int
    cells: int = 0
    right: int = 0
    flagged: int = 0
    wrong: list[str] = field(default_factory=list)  # one line per wrong value, for a person

    @property
    def ok(self) -> bool:
        return not self.wrong


def _expected_metadata(spec: LayoutSpec) -> dict:
    from ingest.rat.metadata import official_area_name

    source = "matrix_header" if spec.year_in_header else "title_page" if spec.cover else "running_header"
    if not (spec.year_in_header or spec.cover or spec.running_header):
        source = "file_name"
    named = spec.cover or spec.running_header
    expected = {
        "year": spec.year,
        "year_source": source,
        "issuer_bps_code": spec.issuer if named else None,
        "issuer_name": official_area_name(spec.issuer) if named else None,
        "revision_marker": spec.revision.upper() if spec.revision else None,
        "printed_date": datetime.date.fromisoformat(spec.printed_date.split("/")[0])
        if spec.printed_date
        else None,
    }
    if spec.total_label:
        expected["printed_total"] = None  # filled by scored(): the sum of the body's budget lines
    return expected


def scored(spec: LayoutSpec, document: RatDocument) -> Score:
    body = spec.body()
    score = Score(spec.seed)
    expected_rows = body.filled()
    lines = body.budget_lines()
    pagu_index = body.columns.index("pagu")

    about = _expected_metadata(spec)
    if spec.total_label:
        about["printed_total"] = sum(
            parse_rupiah(row[pagu_index]) or 0 for row in body.rows if row[pagu_index]
        )
    for key, value in about.items():
        if getattr(document, key) != value:
            score.wrong.append(f"{key}: {getattr(document, key)!r} != {value!r}")
    if list(document.columns_found) != list(spec.columns):
        score.wrong.append(f"columns_found {document.columns_found} != {list(spec.columns)}")

    if len(document.rows) != len(expected_rows):
        score.wrong.append(f"{len(document.rows)} rows extracted, {len(expected_rows)} typeset")
    score.cells = len(expected_rows) * len(body.columns)
    line_of: dict[int, int | None] = {}  # typeset budget line -> extracted budget_line
    for index, (row, expected) in enumerate(zip(document.rows, expected_rows, strict=False)):
        flagged = set(row.uncertain_columns.split())
        for column in COLUMNS:
            got = getattr(row, column)
            want = expected.get(column, "")
            if column not in body.columns:
                if got:
                    score.wrong.append(f"row {index + 1} {column}: {got!r} from a column the matrix lacks")
                continue
            if got == want:
                score.right += 1
            elif column in flagged:
                score.flagged += 1
            else:
                score.wrong.append(f"row {index + 1} (page {row.page_first}) {column}: {got!r} != {want!r}")
        if "pagu" in flagged:
            continue
        typeset_line = lines[index]
        got_line = row.budget_line
        if typeset_line is None:
            if got_line is not None:
                score.wrong.append(f"row {index + 1}: budget line {got_line} where the matrix has none")
            continue
        if line_of.setdefault(typeset_line, got_line) != got_line:
            score.wrong.append(
                f"row {index + 1}: budget line {got_line}, expected the line of row {typeset_line + 1} "
                f"({line_of[typeset_line]})"
            )
        if row.pagu_rupiah != parse_rupiah(body.rows[typeset_line][pagu_index]):
            score.wrong.append(f"row {index + 1}: pagu_rupiah {row.pagu_rupiah}")
    if len(set(line_of.values())) != len(line_of):
        score.wrong.append("two typeset budget lines extracted as one")
    missing_rows = abs(len(expected_rows) - len(document.rows)) * len(body.columns)
    score.cells = max(score.cells, score.right + score.flagged + missing_rows)
    return score
