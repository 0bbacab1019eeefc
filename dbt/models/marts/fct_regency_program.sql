-- Regency x year x program x indicator: what each program budgets for and promises in each regency, next
-- to that regency's poverty figures. A budget line's regency allocation is shared evenly by the indicator
-- rows of the line, so allocated_pagu adds up: summed over everything it equals the plans' total.
-- Poverty figures are the RAT year's, or the latest year before it (poverty_year says which).
with targets as (
    select t.*, lines.indicator_rows
    from {{ ref('fct_program_target') }} as t
    join {{ ref('int_rat__budget_lines') }} as lines using (budget_line_key)
),

allocated as (
    select
        bridge.regency_key,
        bridge.bps_code,
        targets.year,
        targets.program_key,
        targets.indicator_key,
        -- In one order, so the DOUBLE sum is the same on every run (see mart_budget_vs_poverty).
        sum(
            bridge.allocated_pagu / targets.indicator_rows
            order by bridge.budget_line_key, targets.program_target_key
        ) as allocated_pagu,
        bool_or(bridge.is_province_wide) as is_province_wide,
        -- The same choice on every run: of the matrix rows a group joins, the first one's (any_value and
        -- an unordered string_agg took whichever DuckDB's threads met first, and two refreshes of the
        -- same plans could publish different rows).
        min(bridge.location_scope) as location_scope,
        arg_min(targets.target_value, targets.program_target_key) as target_value,
        arg_min(targets.target_unit, targets.program_target_key) as target_unit,
        string_agg(distinct targets.target_text, '; ' order by targets.target_text) as target_text,
        count(distinct targets.program_target_key) as matrix_rows
    from targets
    join {{ ref('bridge_budget_regency') }} as bridge using (budget_line_key)
    group by 1, 2, 3, 4, 5
)

select
    allocated.* exclude (bps_code),
    poverty.year as poverty_year,
    poverty.p0,
    poverty.poor_count_thousand,
    poverty.p1,
    poverty.p2,
    poverty.poverty_line
from allocated
asof left join {{ ref('int_bps__regency_year_indicators') }} as poverty
    on allocated.bps_code = poverty.bps_code and allocated.year >= poverty.year
