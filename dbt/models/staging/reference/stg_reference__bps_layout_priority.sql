select
    layout,
    cast(priority as integer) as priority,
    series,
    description
from {{ ref('bps_layout_priority') }}
