-- Cells two BPS sources give differently by more than the indicator's rounding tolerance. The winning
-- value still goes to the fact table (by the source priority); this model is where the disagreement shows.
with cells as (
    select
        bps_code,
        year,
        semester,
        indicator_code,
        count(*) as source_count,
        min(value) as lowest_value,
        max(value) as highest_value,
        max(case when source_rank = 1 then value end) as winning_value,
        max(case when source_rank = 1 then layout end) as winning_layout,
        string_agg(layout || ' ' || value, '; ' order by source_rank) as values_by_layout
    from {{ ref('int_bps__poverty_values') }}
    group by 1, 2, 3, 4
)

select cells.*, cells.highest_value - cells.lowest_value as spread
from cells
join {{ ref('stg_reference__bps_indicators') }} as indicators using (indicator_code)
where cells.source_count > 1
  and cells.highest_value - cells.lowest_value > indicators.rounding_tolerance
