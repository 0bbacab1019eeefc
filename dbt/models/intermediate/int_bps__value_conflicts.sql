{{ config(materialized="table") }}

-- Measurements two BPS sources give differently by more than the indicator's rounding tolerance. A measurement
-- is an area x year x survey round x indicator, whatever period carries it: a province's March figure is in
-- the province table (period S1) and, from 2015, in the kab/kota tables' province row (the annual period) -
-- the same survey, so the two must agree. Figures of different rounds are different measurements and never
-- compared: the kab/kota tables' 2008-2011 province rows (another round) against the province table's Tahunan
-- figure were listed here before survey rounds were modelled, and are not disagreements.
-- The fact table keeps each period's own winner; this model is where a disagreement shows, never fixed.
-- A table: the provenance copy and the warning test read it, and it is computed once.
with measurements as (
    select
        bps_code,
        year,
        survey_round,
        indicator_code,
        count(*) as source_count,
        min(value) as lowest_value,
        max(value) as highest_value,
        -- Some tables print a figure with one decimal where others print two (NTT's poor 2014: 991.9 in the
        -- kab/kota table, 991.88 in the province table): that is rounding, not a disagreement.
        bool_or(value = round(value, 1)) as printed_with_one_decimal
    from {{ ref('int_bps__poverty_values') }}
    group by 1, 2, 3, 4
    having count(*) > 1 and max(value) - min(value) > 0.011
),

disagreeing as (
    select measurements.*
    from measurements
    join {{ ref('stg_reference__bps_indicators') }} as indicators using (indicator_code)
    where measurements.highest_value - measurements.lowest_value > case
        when measurements.printed_with_one_decimal then greatest(indicators.rounding_tolerance, 0.051)
        else indicators.rounding_tolerance
    end
),

sources as (
    select
        source_values.*,
        cast(source_values.year as varchar) || {{ period_label_suffix('source_values.period') }} as period_label,
        row_number() over (
            partition by source_values.bps_code, source_values.year, source_values.survey_round,
                source_values.indicator_code
            order by source_values.layout_priority, source_values.origin = 'landed' desc,
                source_values.source_file desc, source_values.source_row
        ) as measurement_rank
    from {{ ref('int_bps__poverty_values') }} as source_values
    semi join disagreeing using (bps_code, year, survey_round, indicator_code)
),

described as (
    select
        bps_code,
        year,
        survey_round,
        indicator_code,
        max(case when measurement_rank = 1 then value end) as winning_value,
        max(case when measurement_rank = 1 then layout end) as winning_layout,
        string_agg(distinct period_label, ', ' order by period_label) as periods,
        string_agg(layout || ' ' || period_label || ': ' || value, '; ' order by measurement_rank)
            as values_by_layout
    from sources
    group by 1, 2, 3, 4
)

select
    disagreeing.bps_code,
    disagreeing.year,
    disagreeing.survey_round,
    disagreeing.indicator_code,
    described.periods,
    disagreeing.source_count,
    disagreeing.lowest_value,
    disagreeing.highest_value,
    described.winning_value,
    described.winning_layout,
    described.values_by_layout,
    disagreeing.highest_value - disagreeing.lowest_value as spread
from disagreeing
join described using (bps_code, year, survey_round, indicator_code)
