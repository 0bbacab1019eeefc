select
    {{ surrogate_key(['document_sha256']) }} as document_key,
    document_sha256,
    source_file,
    year,
    page_count,
    matrix_page_first,
    matrix_page_last,
    row_count,
    budget_line_count,
    cast(budget_total_rupiah as bigint) as budget_total_rupiah,
    loaded_at
from {{ ref('stg_rat__documents') }}
