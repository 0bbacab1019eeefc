{{ config(meta={"dagster": {"ref": {"name": "stg_rat__matrix_rows"}}}) }}

-- Each document's total is the sum over its distinct budget lines (never over rows), and every
-- row of one budget line carries the same Pagu.
with lines as (
    select document_sha256, budget_line, min(pagu_rupiah) as pagu, max(pagu_rupiah) as pagu_max
    from {{ ref('stg_rat__matrix_rows') }}
    where budget_line is not null
    group by 1, 2
),

totals as (
    select document_sha256, sum(pagu) as lines_total, count(*) as line_count, bool_and(pagu = pagu_max) as consistent
    from lines
    group by 1
)

select d.document_sha256, d.budget_total_rupiah, t.lines_total, d.budget_line_count, t.line_count
from {{ ref('stg_rat__documents') }} d
left join totals t using (document_sha256)
where d.budget_total_rupiah != coalesce(t.lines_total, 0)
   or d.budget_line_count != coalesce(t.line_count, 0)
   or not coalesce(t.consistent, true)
