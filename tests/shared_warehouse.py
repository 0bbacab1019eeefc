"""One refresh of the bundled data per test session, shared by the report, Excel and BI test modules.

Tests only read it; a test that needs to change a warehouse copies it first.
"""

from pathlib import Path

import pytest

from tests.conftest import refreshed_warehouse

_BUILT: dict[str, Path] = {}


def bundled_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published file of a real refresh of the bundled data, built on first use in the session."""
    if "path" not in _BUILT:
        _BUILT["path"] = refreshed_warehouse(tmp_path_factory, "shared")
    return _BUILT["path"]
