"""Dagster wiring: assets, checks and jobs over ingest/, dbt/ and expectations/."""
