"""One refresh at a time: the warehouse's refresh lock, held by real processes."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.build_lock import RefreshBusyError, current_holder, lock_path_for, refresh_lock

HOLDER = """
import sys, time
from pathlib import Path
from store.build_lock import refresh_lock
with refresh_lock(Path(sys.argv[1]), wait_seconds=0, command="test holder"):
    print("holding", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def holder(tmp_path: Path):
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "holding"
    yield process
    process.kill()
    process.wait()


def test_a_second_taker_learns_who_holds_the_lock_and_gives_up_after_its_wait(tmp_path: Path, holder):
    waits = []
    started = time.monotonic()
    with (
        pytest.raises(RefreshBusyError) as busy,
        refresh_lock(tmp_path, wait_seconds=0.5, on_wait=waits.append),
    ):
        pass
    assert time.monotonic() - started >= 0.5
    [seen] = waits
    assert seen.pid == holder.pid and seen.command == "test holder"
    assert f"by pid {holder.pid}" in str(busy.value) and "still holds the warehouse" in str(busy.value)


def test_no_wait_means_no_waiting_message(tmp_path: Path, holder):
    waits = []
    with pytest.raises(RefreshBusyError), refresh_lock(tmp_path, wait_seconds=0, on_wait=waits.append):
        pass
    assert waits == []


def test_a_killed_holder_releases_the_lock(tmp_path: Path, holder):
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with refresh_lock(tmp_path, wait_seconds=5):
        assert current_holder(lock_path_for(tmp_path)).pid == os.getpid()


def test_the_holding_process_may_take_it_again(tmp_path: Path):
    with refresh_lock(tmp_path, wait_seconds=0), refresh_lock(tmp_path, wait_seconds=0):
        assert current_holder(lock_path_for(tmp_path)).pid == os.getpid()
    with refresh_lock(tmp_path, wait_seconds=0):  # released by the outer exit, free again
        pass
