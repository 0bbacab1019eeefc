-- Every province beside Indonesia and the other provinces, for every indicator the BPS files give (poverty,
-- open unemployment, life expectancy, basic services...). One row per measurement (province x indicator x
-- year x survey round), in the period the province tables publish it (S1, S2, Februari, Agustus, or their
-- Tahunan figure), else the kab/kota tables' annual row: the province's figure, its rank among the provinces
-- with a figure of the same measurement (1 = the highest value; for P0, P1, P2 and the number poor the
-- poorest; for TPT the highest unemployment; none when only one province has one), Indonesia's figure of the
-- same survey round and the gap to it (from 2015 the kab/kota tables' year is the March round, so a figure
-- only they give sits beside Indonesia's March figure; their 2004-2006 and 2008-2011 round has no national
-- figure). A Sakernas Februari figure is ranked among Februari figures, never beside a Susenas March.
-- Whole-province figures and breakdowns of other indicators (life expectancy by sex); the urban and rural
-- variants of every indicator stay in fct_poverty_indicator; release figures (extreme poverty) are not ranked.
with figures as (
    select
        area.area_key,
        area.bps_code,
        area.name,
        area.level,
        area.is_ntt,
        fact.period_key,
        period.year,
        period.period,
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
        -- The urban and rural variants stay in fct_poverty_indicator (a mart of every daerah variant of every
        -- province is 2.3 times the rows, and the Excel export writes every mart).
        and not regexp_matches(indicator.indicator_code, '_(URBAN|RURAL)$')
    window national as (partition by period.year, fact.indicator_key, fact.survey_round)
    -- One row per measurement: a March figure the province table gives (S1) and the kab/kota tables repeat in
    -- their annual row is one figure, shown in the province table's period.
    qualify row_number() over (
        partition by area.bps_code, period.year, fact.indicator_key, fact.survey_round
        order by period.period = 'annual', period.period
    ) = 1
)

select
    area_key,
    bps_code,
    name as province_name,
    is_ntt,
    period_key,
    year,
    period,
    semester,
    period_label,
    survey_round,
    indicator_key,
    indicator_code,
    unit,
    value,
    -- A figure only one province has (P0 March 2016, 2023 and 2025 come only from NTT's own extract) ranks nothing.
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
    provinces_alike_all as (partition by year, indicator_key, survey_round),
    provinces_alike as (provinces_alike_all order by value desc)
