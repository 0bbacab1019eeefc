-- Per regency and RAT year: the budget the plans allocate to it, its poor, and rupiah per poor person.
-- Province-wide money (lines that name no regency) is shown beside it, never spread over regencies.
-- Whole-rupiah sums are BIGINT (sum() of integers gives HUGEINT, which BI drivers show as INTEGER); the even
-- split of a line over regencies is fractional and stays DOUBLE so that the shares add up to the total.
with lines as (
    select * from {{ ref('int_rat__budget_lines') }}
),

bridge as (
    select bridge.*, lines.year
    from {{ ref('bridge_budget_regency') }} as bridge
    join lines using (budget_line_key)
),

allocated as (
    -- Summed in one order (ordered aggregates), so the last digit of a DOUBLE is the same on every run,
    -- whichever order the plans were read and DuckDB's threads met the rows in.
    select
        bps_code,
        year,
        sum(allocated_pagu order by budget_line_key) as allocated_pagu,
        count(distinct budget_line_key) as budget_lines
    from bridge
    where not is_province_wide
    group by 1, 2
),

province_wide as (
    select year, cast(round(sum(allocated_pagu order by budget_line_key)) as bigint) as province_wide_pagu
    from bridge
    where is_province_wide
    group by 1
),

totals as (
    select year, cast(sum(pagu_rupiah) as bigint) as total_pagu, count(distinct document_key) as documents
    from lines
    group by 1
),

regency_years as (
    select regency.regency_key, regency.bps_code, regency.name, totals.year
    from {{ ref('dim_regency') }} as regency
    cross join totals
    where not regency.is_province
)

select
    regency_years.regency_key,
    regency_years.bps_code,
    regency_years.name as regency_name,
    regency_years.year,
    coalesce(allocated.allocated_pagu, 0) as allocated_pagu,
    coalesce(allocated.budget_lines, 0) as budget_lines,
    poverty.year as poverty_year,
    poverty.p0,
    poverty.poor_count_thousand,
    coalesce(allocated.allocated_pagu, 0) / nullif(poverty.poor_count_thousand * 1000, 0) as rupiah_per_poor_person,
    profile.p0_rank,
    coalesce(province_wide.province_wide_pagu, cast(0 as bigint)) as province_wide_pagu,
    totals.total_pagu,
    totals.documents
from regency_years
join totals using (year)
left join allocated using (bps_code, year)
left join province_wide using (year)
-- The figures of the plan year, or of the latest year before it in which the number poor is known: rupiah per
-- poor person divides by it, and a newer table may give a year's P0 alone.
asof left join (
    select * from {{ ref('int_bps__regency_year_indicators') }} where poor_count_thousand is not null
) as poverty
    on regency_years.bps_code = poverty.bps_code and regency_years.year >= poverty.year
left join {{ ref('mart_regency_poverty_profile') }} as profile
    on profile.bps_code = regency_years.bps_code and profile.year = poverty.year
