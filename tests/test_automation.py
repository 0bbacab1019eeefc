"""The nightly schedule and the landing-folder sensor, evaluated the way the Dagster daemon evaluates them."""

from pathlib import Path

import dagster as dg

from dagster_project.defs.automation import landing_folder_sensor, nightly_refresh
from dagster_project.resources import WarehouseResource
from tests.pdf_fixtures import RAT_2023_PDF


def test_nightly_at_two_in_ntt_time():
    assert nightly_refresh.cron_schedule == "0 2 * * *"
    assert nightly_refresh.execution_timezone == "Asia/Makassar"
    assert nightly_refresh.job_name == "refresh_warehouse"


def test_sensor_starts_a_refresh_for_new_changed_or_removed_files_only(tmp_path: Path):
    landing = tmp_path / "landing"
    landing.mkdir()
    warehouse = WarehouseResource(warehouse_path=str(tmp_path / "w.duckdb"), landing_dir=str(landing))

    def _tick(cursor: str | None) -> dg.SensorResult | dg.SkipReason:
        resources = {"warehouse": warehouse}
        with (
            dg.instance_for_test() as instance,
            dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as context,
        ):
            return landing_folder_sensor(context)

    empty = _tick(None)
    assert isinstance(empty, dg.SensorResult)  # first look: whatever is there is new to it
    cursor = empty.cursor

    assert isinstance(_tick(cursor), dg.SkipReason)
    (landing / "notes.txt").write_text("not a source")
    assert isinstance(_tick(cursor), dg.SkipReason)  # notes beside the data are not data

    (landing / "RAT_2024.pdf").write_bytes(RAT_2023_PDF.read_bytes())
    new_file = _tick(cursor)
    assert isinstance(new_file, dg.SensorResult) and len(new_file.run_requests) == 1
    assert new_file.run_requests[0].tags["trigger"] == "landing"

    (landing / "RAT_2024.pdf").touch()
    assert isinstance(_tick(new_file.cursor), dg.SkipReason)  # same content, new time stamp: nothing new

    (landing / "RAT_2024.pdf").write_bytes(RAT_2023_PDF.read_bytes()[:-10])
    changed = _tick(new_file.cursor)
    assert isinstance(changed, dg.SensorResult) and changed.run_requests[0].run_key != new_file.cursor

    (landing / "RAT_2024.pdf").unlink()
    removed = _tick(changed.cursor)
    assert isinstance(removed, dg.SensorResult)  # a file that leaves takes its rows: that needs a refresh too
