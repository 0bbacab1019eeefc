select * from {{ ref('stg_ingest__source_file_history') }}
