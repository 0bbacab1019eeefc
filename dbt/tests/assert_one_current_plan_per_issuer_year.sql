{{ config(meta={"dagster": {"ref": {"name": "int_rat__document_versions"}}}) }}

-- Exactly one current document for every plan (issuer x year) that has documents: otherwise budgets would
-- be counted twice, or a plan would vanish from the facts.
select issuer_bps_code, year, count(*) filter (where is_current) as current_documents, count(*) as documents
from {{ ref('int_rat__document_versions') }}
group by 1, 2
having count(*) filter (where is_current) != 1
