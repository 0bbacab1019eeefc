{{ config(meta={"dagster": {"ref": {"name": "fct_program_budget"}}}) }}

-- The RAT NTT 2023 report's matrix totals Rp 164,734,762,202 over its 25 budget lines (data/rat/README.md).
select document.source_file, sum(budget.pagu) as total, count(*) as budget_lines
from {{ ref('fct_program_budget') }} as budget
join {{ ref('dim_document') }} as document using (document_key)
where document.source_file like '%RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf'
group by 1
having sum(budget.pagu) != 164734762202 or count(*) != 25
