"""The readers: one package per kind of source (BPS tables and WebAPI responses, RAT plans, releases), and
the list of sources and how each is read (`ingest.sources`). Plain Python over the engine (`store`): no
Dagster, dbt or reports here."""
