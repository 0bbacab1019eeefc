select
    {{ surrogate_key(['indicator_code']) }} as indicator_key,
    indicator_code,
    indicator_name,
    indicator_name_id,
    unit,
    source,
    higher_is_better,
    description
from {{ ref('stg_reference__bps_indicators') }}
