"""The slowest test files (or groups of files, which run on one worker) first: a pytest plugin (conftest's
`pytest_plugins`).

`make test` hands whole xdist groups to the workers (`--dist loadgroup`; a group is a file, or the files
that name one group, as tests/season.py's do), in collection order when xdist is told not to reorder them
(`--no-loadscope-reorder`; by default it sorts them by their number of tests, which puts the long stories,
a dozen tests each, behind the many quick reader tests). A story that starts last finishes last, alone:
the slowest first is the classic schedule for keeping every worker busy to the end (longest processing
time first).

Each run's seconds per file (setup, call and teardown of its tests) are kept in pytest's cache
(`.pytest_cache/`, key `ntt/seconds_per_file`), and the next run collects its files slowest first by them.
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


def _unit_of(item: pytest.Item) -> str:
    """What xdist hands to one worker: the item's group (tests/conftest.py gives every item one), else its
    file."""
    mark = item.get_closest_marker("xdist_group")
    return str(mark.args[0]) if mark and mark.args else _file_of(item.nodeid)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Collected items, the groups of files that took longest last time first; the order within a file is
    kept."""
    if getattr(config, "cache", None) is None:
        return
    seconds = config.cache.get(CACHE_KEY, {})
    if not seconds:
        return
    files_of: dict[str, set[str]] = defaultdict(set)
    for item in items:
        files_of[_unit_of(item)].add(_file_of(item.nodeid))
    unit_seconds = {unit: sum(float(seconds.get(f, 0.0)) for f in files) for unit, files in files_of.items()}
    items.sort(key=lambda item: -unit_seconds[_unit_of(item)])


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
