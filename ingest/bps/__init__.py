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
