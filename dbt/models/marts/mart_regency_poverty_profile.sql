-- Per area and year: the five BPS indicators, the change on the previous year, the gap to the province
-- and the rank among the 22 areas (1 = highest P0, the poorest).
with wide as (
    select * from {{ ref('int_bps__regency_year_indicators') }}
),

province as (
    select year, p0 as province_p0, poverty_line as province_poverty_line from wide where bps_code = 5300
)

select
    regency.regency_key,
    wide.bps_code,
    regency.name as regency_name,
    regency.is_province,
    wide.year,
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
                partition by wide.year, regency.is_province, wide.p0 is null order by wide.p0 desc
            ) as integer)
    end as p0_rank
from wide
join {{ ref('dim_regency') }} as regency using (bps_code)
left join wide as previous on previous.bps_code = wide.bps_code and previous.year = wide.year - 1
left join province on province.year = wide.year
