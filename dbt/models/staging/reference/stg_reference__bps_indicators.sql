select
    indicator_code,
    name as indicator_name,
    name_id as indicator_name_id,
    unit,
    source,
    survey,
    cast(higher_is_better as boolean) as higher_is_better,
    cast(rounding_tolerance as double) as rounding_tolerance,
    description
from {{ ref('bps_indicators') }}
