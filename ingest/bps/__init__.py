"""Parsers for BPS statistics downloads. Each returns one long table (see LONG_TABLE_COLUMNS)."""

LONG_TABLE_COLUMNS = [
    "bps_code",
    "area_name",
    "year",
    "semester",
    "indicator",
    "value",
    "unit",
    "_source_file",
    "_source_row",
]


def empty_long_table():
    """A long table with no rows but every column typed, so downstream models always find the table."""
    import pandas as pd

    dtypes = {
        "bps_code": "Int64",
        "area_name": "string",
        "year": "Int64",
        "semester": "Int64",
        "indicator": "string",
        "value": "float64",
        "unit": "string",
        "_source_file": "string",
        "_source_row": "Int64",
        "_source_sha256": "string",
        "_origin": "string",
    }
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes.items()}).assign(
        _loaded_at=pd.Series(dtype="datetime64[us, UTC]")
    )
