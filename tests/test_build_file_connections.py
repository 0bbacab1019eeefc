"""A step that raises while it holds a connection to the build file leaves no connection open.

dagster-duckdb's `DuckDBResource.get_connection` closes its connection only when the block ends without an
error; the traceback Dagster keeps of a failed step then holds it open, and the refresh's own connection to
record the failed run in the load log was refused ("Can't open a connection to same database file with a
different configuration"): the refresh raised that instead of reporting the step that failed (seen in
tests/test_dask_cluster.py, a Dask read failing under load, 2026-12-07).
"""

from pathlib import Path

import pytest

from dagster_project.resources import BuildFile
from store.duckdb_warehouse import connect


class StepFailed(Exception):
    pass


def test_a_connection_is_closed_when_the_block_using_it_raises(tmp_path: Path):
    path = tmp_path / "build.duckdb"
    resource = BuildFile(database=str(path))
    with pytest.raises(StepFailed) as raised, resource.get_connection() as connection:
        connection.execute("create table t as select 1 as x")
        raise StepFailed("a reader failed")
    assert raised.traceback  # kept, as Dagster keeps a failed step's error
    with connect(path) as connection:  # the refresh's own connection, as after a failed run
        assert connection.execute("select x from t").fetchall() == [(1,)]


def test_a_connection_is_closed_when_the_block_ends(tmp_path: Path):
    path = tmp_path / "build.duckdb"
    with BuildFile(database=str(path)).get_connection() as connection:
        connection.execute("create table t as select 2 as x")
    with connect(path, read_only=True) as connection:
        assert connection.execute("select x from t").fetchall() == [(2,)]
