"""The engine: what decides and keeps what the warehouse holds, under every reader.

The contract readers implement (`contract`), the loader that turns files into raw rows and ledger records
(`plan`, the pure decisions; `read_files`, the read phase, on a read engine: `read_engines` for the local
pool, `dask_cluster` for a Dask cluster, `read_task` what runs on a worker; `loader`, the one
transaction), the ledger, the build and published DuckDB files, the refresh lock, fingerprints, the
quarantine folder, errors and paths.
Plain Python: nothing here imports Dagster, dbt, Great Expectations, the readers or the reports.
"""
