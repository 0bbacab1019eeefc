-- The annual BPS indicators side by side, one row per area and year: what the marts compare budgets with.
select
    r.bps_code,
    p.year,
    max(case when i.indicator_code = 'P0' then f.value end) as p0,
    max(case when i.indicator_code = 'POOR_COUNT' then f.value end) as poor_count_thousand,
    max(case when i.indicator_code = 'P1' then f.value end) as p1,
    max(case when i.indicator_code = 'P2' then f.value end) as p2,
    max(case when i.indicator_code = 'POVERTY_LINE' then f.value end) as poverty_line
from {{ ref('fct_poverty_indicator') }} as f
join {{ ref('dim_regency') }} as r using (regency_key)
join {{ ref('dim_period') }} as p using (period_key)
join {{ ref('dim_indicator') }} as i using (indicator_key)
where p.semester is null
group by r.bps_code, p.year
