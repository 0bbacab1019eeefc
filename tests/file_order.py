"""Which test files go to one worker together, and the slowest first: a pytest plugin (conftest's
`pytest_plugins`).

`make test` hands whole files to the xdist workers (`--dist loadfile`), so a file's module fixtures run
once. Files that share a session fixture go together as one unit (SHARED_UNITS: the two stories of
tests/season.py), through xdist's own hook for the scheduler (`pytest_xdist_make_scheduler`): the season
then runs once. (xdist's `--dist loadgroup` would say it with marks, but pytest-xdist 3.8.0 adds the group
to a test's id in a way pytest 9.2 ignores: every test went out alone, and a story's fixture ran on
every worker.)

Units go out in collection order when xdist is told not to reorder them (`--no-loadscope-reorder`; by
default it sorts them by their number of tests, which puts the long stories, a dozen tests each, behind the
many quick reader tests). A story that starts last finishes last, alone: the slowest first is the classic
schedule for keeping every worker busy to the end (longest processing time first).

Each run's seconds per file (setup, call and teardown of its tests) are kept in pytest's cache
(`.pytest_cache/`, key `ntt/seconds_per_file`), and the next run collects its units slowest first by them.
A file not in the cache (new, or a first run) keeps its place after the known ones. The order changes
which worker runs a file and when, never what a test does.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

CACHE_KEY = "ntt/seconds_per_file"
_seconds: dict[str, float] = defaultdict(float)


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


# Files read from one session fixture, by the unit xdist hands to a worker (a file alone is its own unit).
SHARED_UNITS = {"tests/test_bps_pipeline.py": "season", "tests/test_plan_versions.py": "season"}


def unit_of(nodeid: str) -> str:
    """What xdist hands to one worker with the test `nodeid`: its file, or its files' shared unit."""
    file = _file_of(nodeid)
    return SHARED_UNITS.get(file, file)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadfile`, with the files of a shared unit as one scope; None (xdist's own) otherwise."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadUnitScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    return LoadUnitScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Collected items, the units that took longest last time first; the order within a file is kept."""
    if getattr(config, "cache", None) is None:
        return
    seconds = config.cache.get(CACHE_KEY, {})
    if not seconds:
        return
    files_of: dict[str, set[str]] = defaultdict(set)
    for item in items:
        files_of[unit_of(item.nodeid)].add(_file_of(item.nodeid))
    unit_seconds = {unit: sum(float(seconds.get(f, 0.0)) for f in files) for unit, files in files_of.items()}
    items.sort(key=lambda item: -unit_seconds[unit_of(item.nodeid)])


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _seconds[_file_of(report.nodeid)] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller (or a run without xdist) keeps this run's seconds per file for the next run; files
    not run this time keep the seconds they had, so a run of one file does not forget the others."""
    config = session.config
    if hasattr(config, "workerinput") or getattr(config, "cache", None) is None or not _seconds:
        return
    kept = dict(config.cache.get(CACHE_KEY, {}))
    kept.update({name: round(seconds, 1) for name, seconds in _seconds.items()})
    config.cache.set(CACHE_KEY, kept)
