select * from {{ ref('stg_ingest__quarantine') }}
