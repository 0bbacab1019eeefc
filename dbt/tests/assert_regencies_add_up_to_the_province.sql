{{ config(meta={"dagster": {"ref": {"name": "int_bps__regency_year_indicators"}}}) }}

-- The 22 areas' poor add up to the province's, as in BPS's own tables (within rounding) since 2017;
-- before that some areas carry pre-split figures. A file that breaks this is not published.
with wide as (
    select * from {{ ref('int_bps__regency_year_indicators') }} where year >= 2017
),

sums as (
    select year, sum(poor_count_thousand) as regencies, count(poor_count_thousand) as areas
    from wide
    where bps_code != 5300
    group by year
)

select sums.year, sums.regencies, province.poor_count_thousand as province, sums.areas
from sums
join wide as province on province.year = sums.year and province.bps_code = 5300
where sums.areas = 22 and abs(sums.regencies - province.poor_count_thousand) > 0.15
