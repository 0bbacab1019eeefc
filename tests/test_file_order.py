"""The slowest test files first (tests/file_order.py), in a real pytest run on a folder of its own."""

import json
import os
import subprocess
import sys
from pathlib import Path

from store.paths import REPO_ROOT

SLEEPS = {"test_a_quick.py": 0.0, "test_b_slow.py": 0.3, "test_c_new.py": 0.0}


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "pytest", "-p", "tests.file_order", *args]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=120)


def test_a_run_keeps_seconds_per_file_and_the_next_collects_the_slowest_first(tmp_path: Path):
    for name, seconds in SLEEPS.items():
        if name != "test_c_new.py":
            (tmp_path / name).write_text(f"import time\n\ndef test_one():\n    time.sleep({seconds})\n")
    first = pytest_in(tmp_path, "-q")
    assert first.returncode == 0, first.stdout + first.stderr
    kept = json.loads((tmp_path / ".pytest_cache/v/ntt/seconds_per_file").read_text())
    assert kept["test_b_slow.py"] >= 0.3 > kept["test_a_quick.py"]

    (tmp_path / "test_c_new.py").write_text("def test_one():\n    pass\n")
    listed = pytest_in(tmp_path, "--collect-only", "-q")
    order = [line.split("::")[0] for line in listed.stdout.splitlines() if "::" in line]
    # The slow file first, the quick one next, a file the cache does not know after both.
    assert order == ["test_b_slow.py", "test_a_quick.py", "test_c_new.py"], listed.stdout


SHARED_FIXTURE = """
import os
import pytest

@pytest.fixture(scope="session")
def season(tmp_path_factory):
    with open(os.environ["RUNS_LOG"], "a") as log:
        log.write("season\\n")
    return os.environ["PYTEST_XDIST_WORKER"]
"""


def test_the_files_of_a_shared_unit_go_to_one_worker_and_its_session_fixture_runs_once(tmp_path: Path):
    """Two files reading one session fixture (SHARED_UNITS), a worker each without the unit: xdist's
    scheduler from this plugin hands them out together, so the fixture runs once."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text(SHARED_FIXTURE)
    for name in ("test_bps_pipeline.py", "test_plan_versions.py", "test_alone.py"):
        (tests / name).write_text(
            "import os\n\n"
            "def test_one(season):\n"
            "    assert season == os.environ['PYTEST_XDIST_WORKER']\n"
            "    open(os.environ['RUNS_LOG'], 'a').write(__name__ + ' ' + season + '\\n')\n"
        )
    log = tmp_path / "runs.log"
    os.environ["RUNS_LOG"] = str(log)
    try:
        done = pytest_in(tmp_path, "-n", "3", "--dist", "loadfile", "-q", "-p", "no:cacheprovider")
    finally:
        del os.environ["RUNS_LOG"]
    assert done.returncode == 0, done.stdout + done.stderr
    lines = log.read_text().splitlines()
    workers = dict(line.split() for line in lines if line != "season")
    assert workers["test_bps_pipeline"] == workers["test_plan_versions"] != workers["test_alone"]
    assert lines.count("season") == 2  # the shared unit's worker, and the file alone's
