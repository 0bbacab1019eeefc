select source, source_file, sha256, "row" as source_row, reason, held_back_at
from {{ source('ingest', 'held_back_rows') }}
