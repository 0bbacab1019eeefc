select
    layout,
    cast(priority as integer) as priority,
    description
from {{ ref('bps_layout_priority') }}
