select * from {{ ref('stg_ingest__held_back_rows') }}
