-- The annual BPS indicators side by side, one row per NTT area and year: what the marts compare budgets with.
-- Where the province has two annual figures of one year (2008-2011: the province table's Tahunan figure and
-- the kab/kota tables' own round), the kab/kota tables' figure is taken, the round its 22 areas were measured
-- in, so that the areas and the province stay comparable (and add up). survey_round says which round.
with annual as (
    select r.bps_code, p.year, i.indicator_code, f.value, f.survey_round
    from {{ ref('fct_poverty_indicator') }} as f
    join {{ ref('dim_regency') }} as r using (regency_key)
    join {{ ref('dim_period') }} as p using (period_key)
    join {{ ref('dim_indicator') }} as i using (indicator_key)
    where p.period = 'annual' and i.indicator_code in ('P0', 'POOR_COUNT', 'P1', 'P2', 'POVERTY_LINE')
    qualify row_number() over (
        partition by r.bps_code, p.year, i.indicator_code order by f.survey_round = 'annual', f.survey_round
    ) = 1
)

select
    bps_code,
    year,
    max(case when indicator_code = 'P0' then value end) as p0,
    max(case when indicator_code = 'POOR_COUNT' then value end) as poor_count_thousand,
    max(case when indicator_code = 'P1' then value end) as p1,
    max(case when indicator_code = 'P2' then value end) as p2,
    max(case when indicator_code = 'POVERTY_LINE' then value end) as poverty_line,
    coalesce(
        max(case when indicator_code = 'P0' then survey_round end), max(survey_round)
    ) as survey_round
from annual
group by bps_code, year
