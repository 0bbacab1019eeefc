select changed_at, source, path as source_file, sha256, status, reason, cast(rows as bigint) as row_count
from {{ source('ingest', 'source_file_history') }}
