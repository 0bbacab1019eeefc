"""A refresh leaves the process's SIGTERM as it found it (dagster_project.refresh.sigterm_kept).

Dagster re-points SIGTERM at SIGINT's handler when a run ends. In a process a shell started in the
background SIGINT is ignored, so SIGTERM became ignored too, and so did it in every process started after
the run: `dbt parse` ignored the SIGTERM meant to stop it. The cases run in a fresh interpreter whose SIGINT
is ignored, as such a shell leaves it, around Dagster's own interrupt handling (the context every run
executes in); tests/test_plan_versions.py checks the same of the season's real refreshes in the test's
process.
"""

import subprocess
import sys

CHILD = """
import signal, subprocess, sys
from contextlib import nullcontext
from dagster._utils.interrupts import capture_interrupts
from dagster_project.refresh import sigterm_kept

signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a shell leaves a job it starts with &
for kept in (True, False):
    with (sigterm_kept() if kept else nullcontext()), capture_interrupts():
        pass  # a run
    handling = signal.getsignal(signal.SIGTERM)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    child.terminate()
    try:
        print(handling.name, child.wait(timeout=5))
    except subprocess.TimeoutExpired:
        child.kill()
        print(handling.name, "ignored SIGTERM")
"""


def test_after_a_run_sigterm_still_stops_what_the_process_starts():
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with_it, dagster_alone = done.stdout.splitlines()
    assert with_it == "SIG_DFL -15"
    # The reason for sigterm_kept. If this fails, Dagster restores SIGTERM itself and sigterm_kept can go.
    assert dagster_alone == "SIG_IGN ignored SIGTERM"
