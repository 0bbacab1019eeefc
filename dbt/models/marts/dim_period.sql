-- Every year from 2000 (or the earliest year any source has) to 2040 (or the latest), each annual and
-- with its two Susenas rounds (March, September).
with bounds as (
    select
        least(2000, min(year)) as first_year,
        greatest(2040, max(year)) as last_year
    from (
        select year from {{ ref('int_bps__poverty_values') }}
        union all
        select year from {{ ref('int_releases__poverty_values') }}
        union all
        select year from {{ ref('stg_rat__documents') }}
    )
),

years as (
    select cast(range as integer) as year
    from bounds, range(bounds.first_year, bounds.last_year + 1)
),

semesters as (
    select * from (values
        (cast(null as integer), 'annual', cast(null as integer), ''),
        (1, 'semester', 3, ' S1 (Maret)'),
        (2, 'semester', 9, ' S2 (September)')
    ) as s (semester, period_type, survey_month, label_suffix)
)

select
    {{ surrogate_key(['years.year', 'semesters.semester']) }} as period_key,
    years.year,
    semesters.semester,
    semesters.period_type,
    semesters.survey_month,
    -- A real DATE for BI time axes: the first day of the survey month, or 1 January for annual figures.
    make_date(years.year, coalesce(semesters.survey_month, 1), 1) as period_date,
    cast(years.year as varchar) || semesters.label_suffix as label
from years
cross join semesters
