"""The loader's decisions on plain values (store.plan): every status and transition of a file, with no DuckDB
and no file opened (every path here is one that does not exist).

`Nights` runs one source's loads in a row: each night's plan is made from the state the previous night's plan
left, as the loader would have written it (`stored_after`). The DuckDB side of the same rules is in
tests/test_loader.py.
"""

import hashlib
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from store.contract import BUNDLED, LANDED, Problem, Reading, Source
from store.ledger import DUPLICATE, LOADED, QUARANTINED, REMOVED, SUPERSEDED, UNCHANGED
from store.plan import GONE, LoadPlan, Present, Stored, plan_load, plan_reads

NOWHERE = Path("/nonexistent/figures")  # the plan never opens a file: every path here would fail


def figures(*values: float) -> Reading:
    rows = pd.DataFrame({"value": [float(v) for v in values]})
    return {"figures": rows.assign(_source_row=range(2, len(values) + 2))}


def above_100(frame: pd.DataFrame) -> pd.Series:
    return ("value " + frame["value"].astype(str) + " is above 100").where(frame["value"] > 100)


def unreadable(path: Path) -> Reading:
    raise AssertionError(f"the plan read {path}")


FIGURES = Source(
    name="figures",
    tables=("figures",),
    claims=lambda path: True,
    read=unreadable,
    empty=figures,
    keys={"figures": ("_source_row",)},
    screen=above_100,
)


def sha(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


@dataclass
class Nights:
    """One source's loads, a night apart. A file is (content, origin, version); contents are strings, and
    what reading one gives is the `outcome` set for it (figures by default: one per comma-separated value,
    a value that is not a number is a reader's problem)."""

    files: dict[str, tuple[str, str, tuple[str, str] | None]] = field(default_factory=dict)
    stored: Stored = field(default_factory=Stored)
    clock: datetime = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    read: list[str] = field(default_factory=list)  # names read on the last night
    plan: LoadPlan | None = None

    def land(self, name: str, content: str, origin: str = LANDED, version: tuple[str, str] | None = None):
        self.files[name] = (content, origin, version)

    def remove(self, name: str) -> None:
        del self.files[name]

    def outcome(self, content: str) -> Reading | list[Problem]:
        try:
            return figures(*(float(value) for value in content.split(",")))
        except ValueError:
            return [Problem("parse", f"{NOWHERE}: {content!r} is not a number", row=2)]

    def night(self, reader_version: str = "v1", rebuild: bool = False, source: Source = FIGURES) -> LoadPlan:
        self.clock += timedelta(days=1)
        present = [
            Present(name, NOWHERE / name, origin, sha(content), len(content), version)
            for name, (content, origin, version) in self.files.items()
        ]
        reads = plan_reads(source, self.stored, present, reader_version, rebuild)
        contents = {sha(content): content for content, _, _ in self.files.values()}
        outcomes = {digest: self.outcome(contents[digest]) for digest in reads.to_read}
        self.read = sorted(reads.named[digest].name for digest in reads.to_read)
        self.plan = plan_load(source, self.stored, present, reads, outcomes, reader_version, self.clock)
        self.stored = stored_after(self.plan, self.stored)
        return self.plan

    def status(self) -> dict[str, str]:
        return {r.path: r.status for r in self.plan.result.records}

    def record(self, name: str):
        return next(r for r in self.plan.result.records if r.path == name)

    def rows(self) -> dict[str, int]:
        return self.stored.rows["figures"]


def stored_after(plan: LoadPlan, before: Stored) -> Stored:
    """The state the loader writes for `plan` (store.raw_tables.write_load), as plain values."""
    rows = {}
    for table, frame in plan.incoming.items():
        counts = {digest: n for digest, n in before.rows.get(table, {}).items() if digest in plan.keep}
        for digest, n in frame.groupby("_source_sha256").size().items():
            counts[digest] = counts.get(digest, 0) + int(n)
        rows[table] = counts
    result = plan.result
    return Stored(
        ledger={r.path: r for r in result.records},
        quarantine=result.quarantine,
        held_back=result.held_back,
        rows=rows,
        row_names={digest: plan.names[digest] for digest in rows.get("figures", {})},
    )


def test_the_plan_module_needs_no_duckdb():
    code = "import sys, store.plan; sys.exit('duckdb' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_new_file_is_read_and_loaded_and_its_rows_carry_its_name():
    nights = Nights()
    nights.land("a.csv", "1,2", origin=BUNDLED)
    plan = nights.night()
    assert nights.read == ["a.csv"] and nights.status() == {"a.csv": LOADED}
    record = nights.record("a.csv")
    assert (record.origin, record.sha256, record.size_bytes, record.rows) == (BUNDLED, sha("1,2"), 3, 2)
    assert record.first_seen == record.content_since == record.last_seen == nights.clock
    [frame] = plan.incoming.values()
    assert set(frame["_source_file"]) == {"a.csv"} and set(frame["_source_sha256"]) == {sha("1,2")}
    assert (frame["_loaded_at"] == nights.clock).all() and plan.keep == set()
    assert plan.result.summary()["rows_in"] == 2 and plan.result.files_read == ["a.csv"]


def test_an_unchanged_file_is_not_read_again_and_its_rows_stay():
    nights = Nights()
    nights.land("a.csv", "1,2")
    nights.night()
    first_seen = nights.record("a.csv").first_seen
    plan = nights.night()
    assert nights.read == [] and nights.status() == {"a.csv": UNCHANGED}
    assert plan.keep == {sha("1,2")} and plan.incoming["figures"].empty and nights.rows() == {sha("1,2"): 2}
    assert (
        nights.record("a.csv").first_seen == first_seen and nights.record("a.csv").last_seen == nights.clock
    )


def test_a_changed_file_is_read_again_and_its_old_rows_go():
    nights = Nights()
    nights.land("a.csv", "1,2")
    nights.night()
    first_seen = nights.record("a.csv").first_seen
    nights.land("a.csv", "1,2,3")
    plan = nights.night()
    assert nights.read == ["a.csv"] and nights.status() == {"a.csv": LOADED}
    assert plan.keep == set() and nights.rows() == {sha("1,2,3"): 3}
    record = nights.record("a.csv")
    assert record.first_seen == first_seen and record.content_since == nights.clock


def test_a_damaged_new_file_is_quarantined_with_nothing_kept():
    nights = Nights()
    nights.land("a.csv", "1,x")
    plan = nights.night()
    record = nights.record("a.csv")
    assert (record.status, record.rows, record.rows_sha256) == (QUARANTINED, 0, None)
    assert "is not a number" in record.reason and "stay published" not in record.reason
    [problem] = plan.result.quarantine
    assert (problem.source_file, problem.row, problem.check_name) == ("a.csv", 2, "parse")
    assert plan.result.quarantine_lines() == [record.reason] and nights.rows() == {}


def test_a_damaged_replacement_is_quarantined_and_the_last_good_rows_stay_until_it_heals():
    nights = Nights()
    nights.land("a.csv", "10,20")
    nights.night()
    nights.land("a.csv", "10,x")
    plan = nights.night()
    record = nights.record("a.csv")
    assert record.status == QUARANTINED and record.sha256 == sha("10,x")
    assert (record.rows_sha256, record.rows) == (sha("10,20"), 2) and "stay published" in record.reason
    assert plan.keep == {sha("10,20")} and nights.rows() == {sha("10,20"): 2}
    quarantined_at = plan.result.quarantine[0].quarantined_at

    nights.night()  # the same damaged content: judged already, not read again, same quarantine time
    assert nights.read == [] and nights.status() == {"a.csv": QUARANTINED}
    assert nights.plan.result.quarantine[0].quarantined_at == quarantined_at
    assert nights.rows() == {sha("10,20"): 2}

    nights.land("a.csv", "10,25")  # healed
    plan = nights.night()
    assert nights.read == ["a.csv"] and nights.status() == {"a.csv": LOADED}
    assert plan.result.quarantine == [] and nights.rows() == {sha("10,25"): 2}

    nights.land("a.csv", "10,y")  # damaged again: the healed content's rows stay
    nights.night()
    assert nights.record("a.csv").rows_sha256 == sha("10,25") and nights.rows() == {sha("10,25"): 2}


def test_a_file_that_leaves_takes_its_rows_with_it_and_is_read_again_when_back():
    nights = Nights()
    nights.land("a.csv", "1")
    nights.land("b.csv", "100")
    nights.night()
    nights.remove("b.csv")
    plan = nights.night()
    removed = nights.record("b.csv")
    assert (removed.status, removed.reason, removed.rows, removed.rows_sha256) == (REMOVED, GONE, 0, None)
    assert plan.result.summary()["removed_now"] == 1 and nights.rows() == {sha("1"): 1}
    assert "b.csv: no longer there, its rows are removed" in plan.notes

    plan = nights.night()  # still gone: removed before, not now
    assert nights.status()["b.csv"] == REMOVED and plan.result.summary()["removed_now"] == 0

    nights.land("b.csv", "100")  # back again: a new file
    nights.night()
    assert nights.read == ["b.csv"] and nights.status()["b.csv"] == LOADED
    assert nights.record("b.csv").first_seen == nights.clock and nights.rows()[sha("100")] == 1


def test_a_newer_version_of_the_same_file_supersedes_the_older():
    nights = Nights()
    nights.land("response-jan.json", "1", version=("variable 1", "20260101T000000Z"))
    nights.land("response-mar.json", "5", version=("variable 1", "20260301T000000Z"))
    nights.land("other.json", "7", version=("variable 2", "20260101T000000Z"))
    nights.night()
    assert nights.read == ["other.json", "response-mar.json"]
    assert nights.status() == {
        "other.json": LOADED,
        "response-jan.json": SUPERSEDED,
        "response-mar.json": LOADED,
    }
    assert "response-mar.json" in nights.record("response-jan.json").reason
    assert nights.rows() == {sha("5"): 1, sha("7"): 1}


def test_the_same_bytes_under_two_names_are_read_once_and_counted_once():
    nights = Nights()
    nights.land("a.csv", "1,2")
    nights.night()
    nights.land("copy.csv", "1,2")
    plan = nights.night()
    assert nights.read == [] and nights.status() == {"a.csv": UNCHANGED, "copy.csv": DUPLICATE}
    duplicate = nights.record("copy.csv")
    assert (duplicate.duplicate_of, duplicate.rows, duplicate.rows_sha256) == ("a.csv", 0, sha("1,2"))
    assert plan.names == {sha("1,2"): "a.csv"}

    nights.remove("a.csv")  # the original goes: the copy carries the rows now, without a read
    plan = nights.night()
    assert nights.read == [] and nights.status() == {"a.csv": REMOVED, "copy.csv": UNCHANGED}
    assert plan.names == {sha("1,2"): "copy.csv"} and nights.rows() == {sha("1,2"): 2}


def test_a_damaged_file_with_the_same_bytes_as_another_is_reported_under_its_own_name():
    nights = Nights()
    nights.land("2024.csv", "10,20")
    nights.land("2025.csv", "10,x")
    nights.night()
    nights.land("2024.csv", "10,x")  # damaged exactly as the other file is
    plan = nights.night()
    assert nights.read == []  # those bytes were judged already
    assert nights.status() == {"2024.csv": QUARANTINED, "2025.csv": QUARANTINED}
    by_file = {q.source_file: q.reason for q in plan.result.quarantine}
    assert set(by_file) == {"2024.csv", "2025.csv"}
    assert "2025" not in by_file["2024.csv"].replace(str(NOWHERE), "")
    assert "stay published" in nights.record("2024.csv").reason


def test_two_files_with_the_same_damaged_bytes_keep_one_quarantine_row_each_night_after_night():
    """Each file's problem is said once, however many files share its bytes and however many nights pass
    (the problems judged before were once taken from every file with those bytes: 2, 4, 8... rows)."""
    nights = Nights()
    nights.land("2024.csv", "10,x")
    nights.land("2025.csv", "10,x")
    for _ in range(3):
        plan = nights.night()
        rows = sorted((q.source_file, q.check_name, q.row) for q in plan.result.quarantine)
        assert rows == [("2024.csv", "parse", 2), ("2025.csv", "parse", 2)]


def test_a_reader_change_reads_every_file_again_and_judges_quarantined_ones_again():
    nights = Nights()
    nights.land("a.csv", "1")
    nights.land("b.csv", "x")
    nights.night(reader_version="v1")
    plan = nights.night(reader_version="v2")
    assert nights.read == ["a.csv", "b.csv"]
    assert any("reader changed" in line for line in plan.result.repaired)
    assert {r.reader_version for r in plan.result.records} == {"v2"}


def test_rebuild_reads_every_file_present_again():
    nights = Nights()
    nights.land("a.csv", "1")
    nights.land("b.csv", "x")
    nights.night()
    plan = nights.night(rebuild=True)
    assert nights.read == ["a.csv", "b.csv"] and plan.keep == set()
    assert plan.result.repaired == ["--rebuild: every figures file is read again"]


def test_a_value_that_cannot_be_true_is_held_back_and_the_rest_of_its_file_loads():
    nights = Nights()
    nights.land("a.csv", ",".join(["1"] * 29 + ["250"]))
    plan = nights.night()
    record = nights.record("a.csv")
    assert record.status == LOADED and record.rows == 29
    assert record.reason == "1 row(s) held back, the rest loaded; row 31: value 250.0 is above 100"
    [held] = plan.result.held_back
    assert (held.source_file, held.row, held.reason) == ("a.csv", 31, "value 250.0 is above 100")
    assert plan.result.held_back_lines() == [
        "a.csv row 31: value 250.0 is above 100; held back, the rest of the file loads"
    ]
    assert len(plan.incoming["figures"]) == 29 and plan.result.summary()["rows_rejected"] == 1

    plan = nights.night()  # unchanged: not read again, still held back, since the same time
    assert nights.read == [] and [(h.row, h.held_back_at) for h in plan.result.held_back] == [
        (31, held.held_back_at)
    ]
    nights.remove("a.csv")  # a held-back row leaves with its file
    assert nights.night().result.held_back == []


def test_a_file_with_more_than_five_percent_held_back_is_quarantined_as_a_whole():
    nights = Nights()
    nights.land("a.csv", "1,2")
    nights.night()
    nights.land("a.csv", "150,2500")  # hundreds: a unit mistake, not a broken cell
    plan = nights.night()
    record = nights.record("a.csv")
    assert record.status == QUARANTINED and record.rows_sha256 == sha("1,2")
    assert "a.csv: 2 of 2 values cannot be true, a unit or layout mistake" in record.reason
    assert "(row 2: value 150.0 is above 100)" in record.reason and plan.result.held_back == []
    assert plan.result.quarantine[0].check_name == "implausible values"


def test_stored_rows_the_ledger_does_not_account_for_are_found_and_read_again():
    nights = Nights()
    nights.land("a.csv", "1,2")
    nights.night()
    doubled = {"a": sha("1,2")}["a"]
    nights.stored = Stored(
        ledger=nights.stored.ledger,
        rows={"figures": {doubled: 4, sha("ghost"): 1}},  # a doubled load, and rows of no file
        doubled={"figures": {doubled}},
    )
    plan = nights.night()
    assert nights.read == ["a.csv"] and plan.keep == set() and nights.rows() == {doubled: 2}
    assert any("held 4 rows" in line for line in plan.result.repaired)
    assert any("does not account for" in line for line in plan.result.repaired)
    assert nights.night().result.repaired == []
