-- One figure per area x period x indicator x survey round, for every area (Indonesia, the provinces, every
-- kab/kota) and every indicator the BPS files give: the BPS tables' figures (int_bps__poverty_values) and the
-- release figures of extreme poverty (int_releases__poverty_values). Where sources give the same cell, one wins
-- by the documented priority. survey_round says which survey round a value measures; it is part of the grain
-- because one period can hold two: a province's annual figure of 2008-2011 is given by the province table
-- (its Tahunan figure, round 'annual') and by the kab/kota tables (round 'other'), two measurements kept side
-- by side.
with bps as (
    select
        bps_code,
        year,
        period,
        survey_round,
        indicator_code,
        value,
        layout,
        source_file,
        source_row,
        'BPS' as producer,
        cast(null as varchar) as notes,
        count(*) over (partition by bps_code, year, period, indicator_code, survey_round) as source_count,
        source_rank
    from {{ ref('int_bps__poverty_values') }}
),

releases as (
    select
        bps_code,
        year,
        'annual' as period,
        survey_round,
        indicator_code,
        value,
        layout,
        source_file,
        source_row,
        producer,
        notes,
        count(*) over (partition by bps_code, year, indicator_code) as source_count,
        source_rank
    from {{ ref('int_releases__poverty_values') }}
),

winners as (
    select * exclude (source_rank) from bps where source_rank = 1
    union all
    select * exclude (source_rank) from releases where source_rank = 1
)

select
    {{ surrogate_key(['bps_code']) }} as area_key,
    {{ surrogate_key(['bps_code']) }} as regency_key,
    {{ surrogate_key(['year', 'period']) }} as period_key,
    {{ surrogate_key(['indicator_code']) }} as indicator_key,
    survey_round,
    value,
    layout as source_layout,
    source_file,
    source_row,
    source_count,
    producer,
    notes
from winners
