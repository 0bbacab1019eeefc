select
    source,
    path as source_file,
    origin,
    sha256,
    size_bytes,
    first_seen,
    content_since,
    last_seen,
    status,
    reason,
    cast(rows as bigint) as row_count,
    rows_sha256 as published_sha256,
    duplicate_of,
    reader_version
from {{ source('ingest', 'source_files') }}
