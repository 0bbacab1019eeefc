{{ config(meta={"dagster": {"ref": {"name": "bridge_budget_regency"}}}) }}

-- No rupiah is lost or counted twice: per current document, the budget lines add up to the document's
-- total, and the amounts allocated to regencies plus the province-wide amounts add up to the same.
with budget as (
    select document_key, sum(pagu) as pagu from {{ ref('fct_program_budget') }} group by 1
),

allocated as (
    select budget.document_key, sum(bridge.allocated_pagu) as allocated
    from {{ ref('bridge_budget_regency') }} as bridge
    join {{ ref('fct_program_budget') }} as budget using (budget_line_key)
    group by 1
)

select document.source_file, document.budget_total_rupiah, budget.pagu, allocated.allocated
from {{ ref('dim_document') }} as document
left join budget using (document_key)
left join allocated using (document_key)
where document.is_current
  and (
      coalesce(budget.pagu, 0) != document.budget_total_rupiah
      or abs(coalesce(allocated.allocated, 0) - document.budget_total_rupiah) > 0.01
  )
