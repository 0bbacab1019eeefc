select
    {{ surrogate_key(['bps_code']) }} as regency_key,
    {{ surrogate_key(['year', 'semester']) }} as period_key,
    {{ surrogate_key(['indicator_code']) }} as indicator_key,
    value,
    layout as source_layout,
    source_file,
    source_row,
    count(*) over (partition by bps_code, year, semester, indicator_code) as source_count
from {{ ref('int_bps__poverty_values') }}
qualify source_rank = 1
