"""The one loader's rules, on real files and a real DuckDB file, with a small CSV source.

The pipeline tests run the same rules through the real BPS and RAT sources; these show each rule alone.
"""

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from store.contract import BUNDLED, LANDED, Problem, Source, SourceFile
from store.errors import SourceFileError
from store.ledger import DUPLICATE, LOADED, QUARANTINED, REMOVED, SUPERSEDED, UNCHANGED
from store.loader import load_source

READS: list[str] = []


def read_figures(path: Path) -> dict[str, pd.DataFrame]:
    """name,value CSV: one row per line; a value that is not a number makes the file unreadable."""
    READS.append(path.name)
    rows = []
    with path.open(newline="") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            try:
                rows.append({"name": record["name"], "value": float(record["value"]), "_source_row": line})
            except ValueError:
                raise SourceFileError(path, f"value {record['value']!r} is not a number", row=line) from None
    return {"figures": pd.DataFrame(rows).astype({"value": "float64", "_source_row": "int64"})}


def empty_figures() -> dict[str, pd.DataFrame]:
    frame = pd.DataFrame({"name": pd.Series(dtype="string"), "value": pd.Series(dtype="float64")})
    return {"figures": frame.assign(_source_row=pd.Series(dtype="int64"))}


def figure_version(path: Path) -> tuple[str, str] | None:
    stem, _, version = path.stem.partition("@")
    return (stem, version) if version else None


FIGURES = Source(
    name="figures",
    tables=("figures",),
    claims=lambda path: path.suffix == ".csv",
    read=read_figures,
    empty=empty_figures,
    keys={"figures": ("_source_row",)},
    version_of=figure_version,
)


def figures_above_100(figures: pd.DataFrame) -> pd.Series:
    reasons = "value " + figures["value"].astype(str) + " is above 100"
    return reasons.where(figures["value"] > 100).astype("string")


SCREENED_FIGURES = Source(**{**FIGURES.__dict__, "screen": figures_above_100})


class Loads:
    """Consecutive loads of one folder into one DuckDB file, an hour apart."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "files"
        self.folder.mkdir()
        self.database = tmp_path / "build.duckdb"
        self.clock = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)

    def write(self, name: str, *values: str) -> Path:
        path = self.folder / name
        path.write_text("name,value\n" + "".join(f"row{i},{v}\n" for i, v in enumerate(values, start=1)))
        return path

    def load(self, version: str = "v1", check=None, rebuild: bool = False, source: Source = FIGURES):
        self.clock += timedelta(hours=1)
        files = [
            SourceFile(p, LANDED if p.name.startswith("landed") else BUNDLED) for p in self.folder.iterdir()
        ]
        READS.clear()
        with duckdb.connect(str(self.database)) as connection:
            return load_source(
                connection,
                source,
                files,
                reader_version=version,
                now=self.clock,
                check=check,
                rebuild=rebuild,
            )

    def sql(self, text: str) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(text).fetchall()

    def status(self) -> dict[str, str]:
        return {
            Path(path).name: status for path, status in self.sql("select path, status from raw.source_files")
        }

    def total(self) -> float:
        return self.sql("select coalesce(sum(value), 0) from raw.figures")[0][0]


@pytest.fixture
def loads(tmp_path: Path) -> Loads:
    return Loads(tmp_path)


def test_a_file_is_read_once_per_content_and_its_rows_carry_provenance(loads: Loads):
    loads.write("a.csv", "1", "2")
    first = loads.load()
    assert READS == ["a.csv"] and first.count(LOADED) == 1
    [(name, row, sha, loaded_at)] = loads.sql(
        "select _source_file, _source_row, _source_sha256, _loaded_at from raw.figures where name = 'row2'"
    )
    assert name.endswith("files/a.csv") and row == 3 and len(sha) == 64

    second = loads.load()
    assert READS == [] and loads.status() == {"a.csv": UNCHANGED} and second.count(UNCHANGED) == 1
    assert loads.sql("select _loaded_at from raw.figures where name = 'row2'") == [(loaded_at,)]


def test_the_same_bytes_under_two_names_are_read_once_and_counted_once(loads: Loads):
    loads.write("a.csv", "1", "2")
    loads.load()
    loads.write("landed-copy.csv", "1", "2")
    result = loads.load()
    assert READS == [] and loads.status() == {"a.csv": UNCHANGED, "landed-copy.csv": DUPLICATE}
    assert loads.total() == 3 and result.table_rows == {"figures": 2}
    [(duplicate_of,)] = loads.sql("select duplicate_of from raw.source_files where status = 'duplicate'")
    assert duplicate_of.endswith("a.csv")

    (loads.folder / "a.csv").unlink()  # the original goes: its copy carries the rows now
    loads.load()
    assert loads.status() == {"a.csv": REMOVED, "landed-copy.csv": UNCHANGED} and loads.total() == 3
    assert {n for (n,) in loads.sql("select distinct _source_file from raw.figures")} == {
        str(loads.folder / "landed-copy.csv")
    }


def test_a_damaged_replacement_is_quarantined_and_the_last_good_rows_stay(loads: Loads):
    loads.write("landed-2024.csv", "10", "20")
    loads.load()
    loads.write("landed-2024.csv", "10", "twenty")
    result = loads.load()
    assert loads.status() == {"landed-2024.csv": QUARANTINED}
    assert loads.total() == 30  # the previous content's rows stay
    [line] = result.quarantine_lines()
    assert "row 3: value 'twenty' is not a number" in line and "stay published" in line
    [(row, check, reason)] = loads.sql('select "row", check_name, reason from raw.quarantine')
    assert row == 3 and check == "parse" and "twenty" in reason

    loads.load()  # the same bad content is not read again
    assert READS == [] and loads.status() == {"landed-2024.csv": QUARANTINED} and loads.total() == 30

    loads.write("landed-2024.csv", "10", "25")  # fixed
    loads.load()
    assert loads.status() == {"landed-2024.csv": LOADED} and loads.total() == 35
    assert loads.sql("select count(*) from raw.quarantine") == [(0,)]
    history = loads.sql("select status from raw.source_file_history order by changed_at")
    assert [s for (s,) in history] == [LOADED, QUARANTINED, LOADED]


def test_a_damaged_file_with_the_same_bytes_as_another_is_reported_under_its_own_name(loads: Loads):
    loads.write("landed-2024.csv", "10", "20")
    loads.write("landed-2025.csv", "10", "twenty")
    loads.load()
    loads.write("landed-2024.csv", "10", "twenty")  # damaged exactly as the other file is
    result = loads.load()

    assert READS == []  # the bytes were judged already
    assert loads.status() == {"landed-2024.csv": QUARANTINED, "landed-2025.csv": QUARANTINED}
    [line_2024, line_2025] = sorted(result.quarantine_lines())
    assert line_2024.startswith(str(loads.folder / "landed-2024.csv,")) and "landed-2025" not in line_2024
    assert "stay published" in line_2024
    assert line_2025.startswith(str(loads.folder / "landed-2025.csv,")) and "landed-2024" not in line_2025
    reasons = loads.sql("select source_file, reason from raw.quarantine order by 1")
    assert [Path(file).name for file, _ in reasons] == ["landed-2024.csv", "landed-2025.csv"]
    assert all(Path(file).name in reason for file, reason in reasons)


def test_a_file_that_leaves_takes_its_rows_with_it(loads: Loads):
    loads.write("a.csv", "1")
    loads.write("landed-b.csv", "100")
    loads.load()
    (loads.folder / "landed-b.csv").unlink()
    result = loads.load()
    assert loads.status() == {"a.csv": UNCHANGED, "landed-b.csv": REMOVED} and loads.total() == 1
    assert result.summary()["removed_now"] == 1
    loads.write("landed-b.csv", "100")  # back again: read again
    loads.load()
    assert READS == ["landed-b.csv"] and loads.total() == 101


def test_a_newer_version_of_the_same_file_supersedes_the_older(loads: Loads):
    loads.write("response@20260101T000000Z.csv", "1")
    loads.write("response@20260301T000000Z.csv", "5")
    loads.load()
    assert loads.status() == {
        "response@20260101T000000Z.csv": SUPERSEDED,
        "response@20260301T000000Z.csv": LOADED,
    }
    assert loads.total() == 5


def test_a_reader_change_reads_every_file_again(loads: Loads):
    loads.write("a.csv", "1")
    loads.write("landed-b.csv", "oops")
    loads.load(version="v1")
    result = loads.load(version="v2")
    assert sorted(READS) == ["a.csv", "landed-b.csv"]
    assert any("reader changed" in problem for problem in result.repaired)


def test_a_failed_per_file_check_quarantines_only_that_file(loads: Loads):
    loads.write("a.csv", "1")
    loads.write("landed-b.csv", "-7")

    def no_negatives(read: dict[str, tuple[Path, dict[str, pd.DataFrame]]]) -> dict[str, list[Problem]]:
        found = {}
        for sha, (path, reading) in read.items():
            bad = reading["figures"][reading["figures"]["value"] < 0]
            found[sha] = [
                Problem("value >= 0", f"{path.name}: negative", row=int(r)) for r in bad["_source_row"]
            ]
        return found

    loads.load(check=no_negatives)
    assert loads.status() == {"a.csv": LOADED, "landed-b.csv": QUARANTINED} and loads.total() == 1
    assert loads.sql('select check_name, "row" from raw.quarantine') == [("value >= 0", 2)]


def test_a_doubled_load_is_found_and_mended_by_the_next_load(loads: Loads):
    loads.write("a.csv", "1", "2")
    loads.load()
    with duckdb.connect(str(loads.database)) as connection:  # the state an earlier bug left behind
        connection.execute("insert into raw.figures select * from raw.figures")
        connection.execute(
            "insert into raw.figures select 'ghost', 99, 2, 'gone.csv', 'f' || repeat('0', 63), now() "
        )
    assert loads.total() == 6 + 99
    result = loads.load()
    assert READS == ["a.csv"] and loads.total() == 3
    assert any("held 4 rows" in problem for problem in result.repaired)
    assert any("does not account for" in problem for problem in result.repaired)
    assert loads.load().repaired == []


def test_rebuild_reads_every_file_present_again(loads: Loads):
    loads.write("a.csv", "1")
    loads.load()
    result = loads.load(rebuild=True)
    assert READS == ["a.csv"] and result.repaired and loads.total() == 1


def read_figures_and_notes(path: Path) -> dict[str, pd.DataFrame]:
    figures = read_figures(path)["figures"]
    notes = pd.DataFrame({"note": [f"{len(figures)} figures"], "weight": [1.0]})
    if "crash" in path.read_text():  # a second table whose column cannot take the earlier rows' type
        notes = notes.assign(weight=[[1.0, 2.0]])
    return {"figures": figures, "notes": notes}


def test_a_value_that_cannot_be_true_is_held_back_and_the_rest_of_its_file_loads(loads: Loads):
    loads.write("a.csv", *["1"] * 29, "250")
    first = loads.load(source=SCREENED_FIGURES)
    assert loads.status() == {"a.csv": LOADED} and loads.total() == 29
    [(file, row, reason, held_at)] = loads.sql(
        'select source_file, "row", reason, held_back_at from raw.held_back_rows'
    )
    assert file.endswith("files/a.csv") and row == 31 and reason == "value 250.0 is above 100"
    assert first.held_back_lines() == [
        f"{file} row 31: value 250.0 is above 100; held back, the rest of the file loads"
    ]
    [(ledger_reason,)] = loads.sql("select reason from raw.source_files")
    assert ledger_reason == "1 row(s) held back, the rest loaded; row 31: value 250.0 is above 100"

    again = loads.load(source=SCREENED_FIGURES)  # unchanged: not read again, still held back, same time
    assert READS == [] and loads.status() == {"a.csv": UNCHANGED} and len(again.held_back) == 1
    assert loads.sql('select "row", held_back_at from raw.held_back_rows') == [(31, held_at)]

    loads.write("a.csv", *["1"] * 29, "25")  # corrected
    loads.load(source=SCREENED_FIGURES)
    assert loads.total() == 54 and loads.sql("select * from raw.held_back_rows") == []


def test_a_file_with_many_values_that_cannot_be_true_is_quarantined_as_a_whole(loads: Loads):
    loads.write("a.csv", "1", "2")
    loads.load(source=SCREENED_FIGURES)
    loads.write("a.csv", "150", "2500")  # hundreds: a unit mistake, not a broken cell
    result = loads.load(source=SCREENED_FIGURES)
    assert loads.status() == {"a.csv": QUARANTINED} and loads.total() == 3  # the last good rows stay
    [line] = result.quarantine_lines()
    assert "a.csv: 2 of 2 values cannot be true, a unit or layout mistake" in line
    assert "(row 2: value 150.0 is above 100)" in line
    assert loads.sql("select * from raw.held_back_rows") == []

    (loads.folder / "a.csv").unlink()
    loads.load(source=SCREENED_FIGURES)
    assert loads.total() == 0 and loads.sql("select * from raw.held_back_rows") == []


def test_a_held_back_row_leaves_with_its_file(loads: Loads):
    loads.write("a.csv", *["1"] * 29, "250")
    loads.load(source=SCREENED_FIGURES)
    (loads.folder / "a.csv").unlink()
    loads.load(source=SCREENED_FIGURES)
    assert loads.status() == {"a.csv": REMOVED} and loads.sql("select * from raw.held_back_rows") == []


def test_a_load_that_fails_midway_changes_nothing(loads: Loads):
    source = Source(
        name="figures",
        tables=("figures", "notes"),
        claims=lambda path: True,
        read=read_figures_and_notes,
        empty=lambda: {**empty_figures(), "notes": pd.DataFrame({"note": [], "weight": []})},
    )
    loads.write("a.csv", "1")
    files = lambda: [SourceFile(p, BUNDLED) for p in loads.folder.iterdir()]  # noqa: E731
    with duckdb.connect(str(loads.database)) as connection:
        load_source(connection, source, files(), reader_version="v1", now=loads.clock)
    before = loads.sql("select * from raw.source_files order by path"), loads.sql("select * from raw.figures")
    (loads.folder / "landed-c.csv").write_text("name,value\ncrash,3\n")

    with duckdb.connect(str(loads.database)) as connection, pytest.raises(duckdb.Error):
        # raw.figures is written first and succeeds; raw.notes then fails: all of it must roll back.
        load_source(connection, source, files(), reader_version="v1", now=loads.clock)
    after = loads.sql("select * from raw.source_files order by path"), loads.sql("select * from raw.figures")
    assert after == before


def test_a_readers_error_survives_pickling_with_its_message_and_details(tmp_path: Path):
    """Errors cross process pools and caches: every subclass comes back with its text and attributes."""
    import pickle

    from ingest.rat.errors import OcrUncertainError

    error = OcrUncertainError(tmp_path / "scan.pdf", "2 pagu cells in doubt", document=None, cells=[4, 7])
    restored = pickle.loads(pickle.dumps(error))
    assert type(restored) is OcrUncertainError and str(restored) == str(error)
    assert (restored.path, restored.cause, restored.cells, restored.kind) == (
        error.path,
        error.cause,
        [4, 7],
        "ocr_uncertain",
    )
    plain = pickle.loads(pickle.dumps(SourceFileError(tmp_path / "a.csv", "not a number", row=3)))
    assert str(plain).endswith("a.csv, row 3: not a number") and plain.row == 3
