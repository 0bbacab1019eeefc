-- Every province beside Indonesia and the other provinces: per indicator, period and survey round, the
-- province's BPS figure, its rank among the provinces with a figure (1 = the highest value; for P0, P1, P2 and
-- the number poor, the poorest; none when only one province has a figure), the national figure of the same Susenas round and the gap to it. The national
-- figure of an annual period is Indonesia's figure of the round that annual figure measures (from 2015 the
-- kab/kota tables' year is the March round, so its province rows sit beside Indonesia's March figure); a round
-- Indonesia has no figure for (the kab/kota tables' 2008-2011 round) has none. Release figures (extreme
-- poverty, NTT only) are not ranked here.
with figures as (
    select
        area.area_key,
        area.bps_code,
        area.name,
        area.level,
        area.is_ntt,
        fact.period_key,
        period.year,
        period.semester,
        period.label as period_label,
        fact.survey_round,
        fact.indicator_key,
        indicator.indicator_code,
        indicator.unit,
        fact.value,
        fact.source_layout,
        fact.source_file,
        -- Indonesia has one figure per year, indicator and round (the province tables'), whatever the period.
        max(case when area.level = 'country' then fact.value end) over national as national_value,
        max(case when area.level = 'country' then period.label end) over national as national_period_label
    from {{ ref('fct_poverty_indicator') }} as fact
    join {{ ref('dim_area') }} as area using (area_key)
    join {{ ref('dim_period') }} as period using (period_key)
    join {{ ref('dim_indicator') }} as indicator using (indicator_key)
    where area.level in ('country', 'province') and fact.source_layout != 'release'
    window national as (partition by period.year, fact.indicator_key, fact.survey_round)
)

select
    area_key,
    bps_code,
    name as province_name,
    is_ntt,
    period_key,
    year,
    semester,
    period_label,
    survey_round,
    indicator_key,
    indicator_code,
    unit,
    value,
    -- A figure only one province has (P0 March 2016, 2023, 2025 come only from NTT's own extract) ranks nothing.
    cast(case when count(*) over provinces_alike_all > 1 then rank() over provinces_alike end as integer)
        as rank_among_provinces,
    cast(count(*) over provinces_alike_all as integer) as provinces_ranked,
    national_value,
    national_period_label,
    value - national_value as gap_to_national,
    source_layout,
    source_file
from figures
where level = 'province'
window
    provinces_alike_all as (partition by period_key, indicator_key, survey_round),
    provinces_alike as (provinces_alike_all order by value desc)
