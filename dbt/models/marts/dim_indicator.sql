-- Indicators: the ones the warehouse knows (seed bps_indicators: poverty, extreme poverty, open unemployment,
-- with their bounds), every other indicator a BPS file gives (named from its title, generic checks only), each
-- breakdown of one as a variant (P0_URBAN, ..._LAKI_LAKI), and the performance indicators RAT plans target.
-- The same choice on every run, whatever order the files were read in: min() for any value, and a tie of the
-- most common value goes to the first in order (mode ... order by), not to the first row met.
with known as (
    select * from {{ ref('stg_reference__bps_indicators') }}
),

seen as (
    select
        indicator_code,
        min(base_indicator_code) as base_indicator_code,
        min(breakdown) as breakdown,
        mode(indicator_name order by indicator_name) as title_name,
        mode(unit order by unit) as unit
    from {{ ref('int_bps__poverty_values') }}
    where indicator_code not in (select indicator_code from known)
    group by indicator_code
),

bps as (
    select
        indicator_code,
        indicator_name,
        indicator_name_id,
        unit,
        'BPS' as source,
        cast(null as varchar) as indicator_level,
        higher_is_better,
        description,
        survey,
        'bounds' as checks
    from known
    union all
    select
        seen.indicator_code,
        coalesce(base.indicator_name, seen.title_name)
        || case when seen.breakdown = 'total' then '' else ' (' || seen.breakdown || ')' end as indicator_name,
        coalesce(base.indicator_name_id, seen.title_name)
        || case when seen.breakdown = 'total' then '' else ' (' || seen.breakdown || ')' end as indicator_name_id,
        seen.unit,
        'BPS' as source,
        cast(null as varchar) as indicator_level,
        base.higher_is_better,
        case
            when base.indicator_code is not null
                then base.description || ' Breakdown: ' || seen.breakdown || '.'
            else 'BPS table "' || seen.title_name || '" as its title reads'
                || case when seen.breakdown = 'total' then '' else ', ' || seen.breakdown end
                || '. No bounds of its own: the generic checks (a number, one value per key, 0-100 when percent).'
        end as description,
        base.survey,
        case when base.indicator_code is null then 'generic' else 'bounds' end as checks
    from seen
    left join known as base on base.indicator_code = seen.base_indicator_code
),

rat as (
    select
        indicator_code,
        coalesce(min(indicator_text), '(no indicator given)') as indicator_name,
        coalesce(min(indicator_text), '(tidak ada indikator)') as indicator_name_id,
        mode(target_unit order by target_unit) as unit,
        'RAT' as source,
        min(indicator_level) as indicator_level,
        cast(null as boolean) as higher_is_better,
        'Performance indicator of a RAT matrix row (' || coalesce(min(indicator_level), 'none') || ' level).'
            as description,
        cast(null as varchar) as survey,
        cast(null as varchar) as checks
    from {{ ref('int_rat__matrix_rows') }}
    group by indicator_code
)

select {{ surrogate_key(['indicator_code']) }} as indicator_key, *
from (select * from bps union all select * from rat)
