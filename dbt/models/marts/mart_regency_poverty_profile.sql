-- Per area and year: the five BPS indicators, the change on the previous year, the gap to the province and
-- the rank among the 22 areas (1 = highest P0, the poorest); beside them, extreme poverty from the releases
-- with who produced each figure (BPS, or a Kemenko PMK estimate) and the caveats the releases carry.
with wide as (
    select * from {{ ref('int_bps__regency_year_indicators') }}
),

province as (
    select year, p0 as province_p0, poverty_line as province_poverty_line from wide where bps_code = 5300
),

extreme as (
    select
        r.bps_code,
        p.year,
        max(case when i.indicator_code = 'P0_EXTREME' then f.value end) as p0_extreme,
        max(case when i.indicator_code = 'POOR_EXTREME_COUNT' then f.value end) as poor_extreme_count_thousand,
        coalesce(
            max(case when i.indicator_code = 'P0_EXTREME' then f.producer end),
            max(case when i.indicator_code = 'POOR_EXTREME_COUNT' then f.producer end)
        ) as extreme_poverty_producer,
        string_agg(distinct f.notes, ' | ' order by f.notes) as extreme_poverty_notes
    from {{ ref('fct_poverty_indicator') }} as f
    join {{ ref('dim_regency') }} as r using (regency_key)
    join {{ ref('dim_period') }} as p using (period_key)
    join {{ ref('dim_indicator') }} as i using (indicator_key)
    where i.indicator_code in ('P0_EXTREME', 'POOR_EXTREME_COUNT') and p.semester is null
    group by r.bps_code, p.year
),

area_years as (
    select bps_code, year from wide
    union
    select bps_code, year from extreme
)

select
    regency.regency_key,
    area_years.bps_code,
    regency.name as regency_name,
    regency.is_province,
    area_years.year,
    wide.survey_round,
    wide.p0,
    wide.poor_count_thousand,
    wide.p1,
    wide.p2,
    wide.poverty_line,
    wide.p0 - previous.p0 as p0_change,
    wide.poor_count_thousand - previous.poor_count_thousand as poor_count_change_thousand,
    wide.p1 - previous.p1 as p1_change,
    wide.poverty_line - previous.poverty_line as poverty_line_change,
    wide.p0 - province.province_p0 as p0_gap_to_province,
    case
        when not regency.is_province and wide.p0 is not null
            then cast(rank() over (
                partition by area_years.year, regency.is_province, wide.p0 is null order by wide.p0 desc
            ) as integer)
    end as p0_rank,
    extreme.p0_extreme,
    extreme.poor_extreme_count_thousand,
    extreme.extreme_poverty_producer,
    extreme.extreme_poverty_notes
from area_years
join {{ ref('dim_regency') }} as regency using (bps_code)
left join wide using (bps_code, year)
left join wide as previous on previous.bps_code = area_years.bps_code and previous.year = area_years.year - 1
left join province on province.year = area_years.year
left join extreme using (bps_code, year)
