"""Plain-Python extractors for the NTT poverty warehouse (no Dagster imports here)."""
