with ranked as (
    select
        *,
        row_number() over (
            partition by bps_code, year, semester, indicator_code
            order by source_priority, source_file, source_row
        ) as source_rank
    from {{ ref('int_bps__poverty_values') }}
)

select
    {{ surrogate_key(['bps_code']) }} as regency_key,
    {{ surrogate_key(['year', 'semester']) }} as period_key,
    {{ surrogate_key(['indicator_code']) }} as indicator_key,
    value,
    source_file,
    source_row
from ranked
where source_rank = 1
