select
    source_table,
    cast(priority as integer) as priority,
    description
from {{ ref('bps_source_priority') }}
