-- One row per budget line, never per matrix row: rows that share a merged Pagu cell share one amount.
-- Rupiah as BIGINT, not the staging HUGEINT: BI drivers (duckdb-engine, Superset) show HUGEINT as INTEGER.
select
    lines.budget_line_key,
    lines.document_key,
    lines.program_key,
    {{ surrogate_key(['lines.funding_source_code']) }} as funding_source_key,
    lines.year,
    cast(lines.pagu_rupiah as bigint) as pagu,
    lines.budget_line,
    lines.funding_source_codes,
    lines.location_scope,
    lines.regency_count,
    lines.indicator_rows
from {{ ref('int_rat__budget_lines') }} as lines
