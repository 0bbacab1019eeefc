select source, source_file, sha256, "row" as source_row, page, check_name, reason, quarantined_at
from {{ source('ingest', 'quarantine') }}
