-- Every year from 2000 (or the earliest year any source has) to 2040 (or the latest), each with its annual
-- figure, the two Susenas rounds (March, September), the two Sakernas rounds (Februari, Agustus) and the four
-- quarters, with their survey month; any other month a source gives is added for its year. A Sakernas
-- Februari is never a Susenas March: periods are told apart by their code (ingest.bps.titles.PERIODS).
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

standard as (
    select * from (values
        ('annual'), ('S1'), ('S2'), ('M02'), ('M08'), ('Q1'), ('Q2'), ('Q3'), ('Q4')
    ) as s (period)
),

periods as (
    select years.year, standard.period from years cross join standard
    union
    select distinct year, period from {{ ref('int_bps__poverty_values') }}
)

select
    {{ surrogate_key(['year', 'period']) }} as period_key,
    year,
    period,
    {{ period_semester('period') }} as semester,
    case
        when period = 'annual' then 'annual'
        when period in ('S1', 'S2') then 'semester'
        when period like 'M%' then 'month'
        else 'quarter'
    end as period_type,
    case
        when period = 'S1' then 3
        when period = 'S2' then 9
        when period like 'M%' then cast(substr(period, 2) as integer)
    end as survey_month,
    -- A real DATE for BI time axes: the first day of the survey month, of the quarter, or 1 January.
    make_date(
        year,
        case
            when period = 'S1' then 3
            when period = 'S2' then 9
            when period like 'M%' then cast(substr(period, 2) as integer)
            when period like 'Q%' then 3 * cast(substr(period, 2) as integer) - 2
            else 1
        end,
        1
    ) as period_date,
    cast(year as varchar) || {{ period_label_suffix('period') }} as label
from periods
