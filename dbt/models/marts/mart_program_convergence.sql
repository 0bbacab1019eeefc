-- Per regency and RAT year: how many programs and funding sources reach it, how many of those are meant
-- for it in particular (lines that name fewer than all 22 areas), and whether a regency among the five
-- with the highest P0 gets no regency-specific program at all.
with reach as (
    select
        bridge.bps_code,
        budget.year,
        budget.program_key,
        budget.funding_source_key,
        budget.regency_count < 22 as is_specific
    from {{ ref('bridge_budget_regency') }} as bridge
    join {{ ref('fct_program_budget') }} as budget using (budget_line_key)
    where not bridge.is_province_wide
),

counts as (
    select
        bps_code,
        year,
        count(distinct program_key) as programs_reaching,
        count(distinct case when is_specific then program_key end) as specific_programs,
        count(distinct funding_source_key) as funding_sources_reaching
    from reach
    group by 1, 2
)

select
    budget.regency_key,
    budget.bps_code,
    budget.regency_name,
    budget.year,
    coalesce(counts.programs_reaching, 0) as programs_reaching,
    coalesce(counts.specific_programs, 0) as specific_programs,
    coalesce(counts.funding_sources_reaching, 0) as funding_sources_reaching,
    budget.p0,
    budget.p0_rank,
    coalesce(counts.specific_programs, 0) = 0 as lacks_specific_program,
    coalesce(budget.p0_rank <= 5 and coalesce(counts.specific_programs, 0) = 0, false)
        as is_top5_p0_without_specific_program
from {{ ref('mart_budget_vs_poverty') }} as budget
left join counts using (bps_code, year)
