-- BPS indicators (seed) and the performance indicators RAT documents set targets for.
with bps as (
    select
        indicator_code,
        indicator_name,
        indicator_name_id,
        unit,
        'BPS' as source,
        cast(null as varchar) as indicator_level,
        higher_is_better,
        description
    from {{ ref('stg_reference__bps_indicators') }}
),

rat as (
    select
        indicator_code,
        coalesce(any_value(indicator_text), '(no indicator given)') as indicator_name,
        coalesce(any_value(indicator_text), '(tidak ada indikator)') as indicator_name_id,
        mode(target_unit) as unit,
        'RAT' as source,
        any_value(indicator_level) as indicator_level,
        cast(null as boolean) as higher_is_better,
        'Performance indicator of a RAT matrix row (' || coalesce(any_value(indicator_level), 'none') || ' level).'
            as description
    from {{ ref('int_rat__matrix_rows') }}
    group by indicator_code
)

select {{ surrogate_key(['indicator_code']) }} as indicator_key, *
from (select * from bps union all select * from rat)
