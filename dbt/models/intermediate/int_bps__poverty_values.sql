{{ config(materialized="table") }}

-- Every BPS value from every staged BPS source, for every area (Indonesia, the provinces, every kab/kota) and
-- every indicator the files give, in one shape: a breakdown as an indicator variant (P0_URBAN, POOR_COUNT_RURAL,
-- an AHH by sex ..._LAKI_LAKI), and each value with the survey round it measures. A sub-annual period is its
-- round (S1 march, S2 september, M02 february, a quarter); an annual poverty figure's round depends on its
-- series and year (seed bps_survey_rounds): the kab/kota tables' year is the March round from 2015 and
-- September 2012-2014, while the province table's Tahunan figure (2007-2011) is a round of its own. Any other
-- indicator's annual figure is its annual round. Two rounds in one period are two measurements, never merged:
-- the cell is area x year x period x indicator x survey round.
-- Within a cell, sources are ranked: the layout's priority first (seed bps_layout_priority), then a landed file
-- over a bundled one (a user drops a newer download on purpose), then the file whose name sorts last.
-- fct_poverty_indicator keeps rank 1.
with unioned as (
    select * from {{ ref('stg_bps__downloads') }}
    union all
    select * from {{ ref('stg_bps__webapi') }}
),

origins as (
    select source_file, any_value(origin) as origin
    from {{ ref('stg_ingest__source_files') }}
    where source in ('bps_downloads', 'bps_webapi')
    group by source_file
),

valued as (
    select
        unioned.bps_code,
        unioned.area_name,
        unioned.year,
        unioned.period,
        {{ period_semester('unioned.period') }} as semester,
        unioned.indicator_code as base_indicator_code,
        unioned.indicator_code || {{ breakdown_suffix('unioned.breakdown') }} as indicator_code,
        unioned.breakdown,
        unioned.indicator_name,
        unioned.unit,
        unioned.value,
        unioned.layout,
        layouts.series,
        coalesce(known.survey = 'susenas', false) as susenas,
        unioned.source_file,
        unioned.source_row,
        coalesce(origins.origin, 'bundled') as origin,
        layouts.priority as layout_priority
    from unioned
    join {{ ref('stg_reference__bps_layout_priority') }} as layouts using (layout)
    left join {{ ref('stg_reference__bps_indicators') }} as known on known.indicator_code = unioned.indicator_code
    left join origins using (source_file)
),

rounded as (
    select
        valued.*,
        case
            when valued.period != 'annual' then {{ period_round('valued.period') }}
            when valued.susenas then rounds.survey_round
            else 'annual'
        end as survey_round
    from valued
    left join {{ ref('bps_survey_rounds') }} as rounds
        on valued.period = 'annual'
        and valued.susenas
        and rounds.series = valued.series
        and valued.year between coalesce(rounds.first_year, 0) and coalesce(rounds.last_year, 9999)
)

select
    *,
    row_number() over (
        partition by bps_code, year, period, indicator_code, survey_round
        order by layout_priority, origin = 'landed' desc, source_file desc, source_row
    ) as source_rank
from rounded
