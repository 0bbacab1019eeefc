-- One row per budget line, never per matrix row: rows that share a merged Pagu cell share one amount.
select
    lines.budget_line_key,
    lines.document_key,
    lines.program_key,
    {{ surrogate_key(['lines.funding_source_code']) }} as funding_source_key,
    lines.year,
    lines.pagu_rupiah as pagu,
    lines.budget_line,
    lines.funding_source_codes,
    lines.location_scope,
    lines.regency_count,
    lines.indicator_rows
from {{ ref('int_rat__budget_lines') }} as lines
