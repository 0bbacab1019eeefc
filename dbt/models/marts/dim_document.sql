-- Every RAT document loaded, each version of each plan (issuer x year), with which one is current and why
-- the others were replaced. Facts count the current version only.
select
    {{ surrogate_key(['document_sha256']) }} as document_key,
    document_sha256,
    source_file,
    file_names,
    file_count,
    title,
    issuer_bps_code,
    issuer_name,
    year,
    year_source,
    revision_marker,
    printed_date,
    landed_at,
    is_current,
    version_rank,
    version_count,
    case when superseded_by_sha256 is not null then {{ surrogate_key(['superseded_by_sha256']) }} end
        as superseded_by_document_key,
    superseded_by_file,
    superseded_reason,
    page_count,
    matrix_page_first,
    matrix_page_last,
    row_count,
    budget_line_count,
    budget_total_rupiah,
    printed_total_rupiah,
    columns_found,
    is_ocr,
    loaded_at
from {{ ref('int_rat__document_versions') }}
