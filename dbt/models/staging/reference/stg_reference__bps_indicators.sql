select
    indicator_code,
    name as indicator_name,
    name_id as indicator_name_id,
    unit,
    source,
    cast(higher_is_better as boolean) as higher_is_better,
    description
from {{ ref('bps_indicators') }}
