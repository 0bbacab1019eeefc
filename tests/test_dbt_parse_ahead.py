"""dbt parses a new warehouse's project while the run reads its sources (dagster_project.dbt_parse_ahead):
the build that follows must find that parse usable, or the 3 s it saves are paid twice."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dagster_project.dbt_parse_ahead import (
    DBT_EXECUTABLE,
    DBT_GLOBAL_FLAGS,
    DBT_PROJECT_DIR,
    dbt_target_for,
    finish_dbt_parse,
    start_dbt_parse,
    stop_dbt_parse,
)
from dagster_project.settings import dbt_args


def _parse_messages(build: Path) -> list[str]:
    """What a second `dbt parse` of the same warehouse says about partial parsing (dbt's JSON log)."""
    target = str(dbt_target_for(build))
    completed = subprocess.run(
        [
            DBT_EXECUTABLE,
            *DBT_GLOBAL_FLAGS,
            "--log-format",
            "json",
            "parse",
            *dbt_args(build),
            "--target-path",
            target,
        ],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-2000:]
    return [json.loads(line)["info"]["msg"] for line in completed.stdout.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def parsed_ahead(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build file of a new warehouse whose parse ahead has finished (a full dbt parse, done once)."""
    build = tmp_path_factory.mktemp("new-warehouse") / ".build" / "ntt_poverty.duckdb"
    build.parent.mkdir(parents=True)
    finish_dbt_parse(start_dbt_parse(build, dbt_args(build)))
    return build


def test_a_parse_started_ahead_for_a_new_warehouse_is_the_one_its_build_reuses(parsed_ahead: Path):
    build = parsed_ahead
    assert (dbt_target_for(build) / "partial_parse.msgpack").exists()

    messages = _parse_messages(build)
    assert not any("Unable to do partial parsing" in message for message in messages), messages
    assert not build.exists()  # parsing never opened (or created) the DuckDB file


def test_a_parse_the_run_no_longer_needs_is_stopped(tmp_path: Path):
    build = tmp_path / ".build" / "ntt_poverty.duckdb"
    parse = start_dbt_parse(build, dbt_args(build))
    stop_dbt_parse(parse)
    assert parse.poll() is not None


def test_a_warehouse_with_a_parse_of_its_own_starts_none_and_a_copied_one_does(
    parsed_ahead: Path, tmp_path: Path
):
    build = parsed_ahead
    # the next night: dbt parses what changed, in the build
    assert start_dbt_parse(build, dbt_args(build)) is None

    copy = tmp_path / "copy" / ".build" / "ntt_poverty.duckdb"
    shutil.copytree(build.parent, copy.parent)  # its parse state was made for the other file
    parse = start_dbt_parse(copy, dbt_args(copy))
    assert parse is not None
    stop_dbt_parse(parse)
