select
    sha256 as document_sha256,
    source_file,
    cast(year as integer) as year,
    cast(page_count as integer) as page_count,
    cast(matrix_page_first as integer) as matrix_page_first,
    cast(matrix_page_last as integer) as matrix_page_last,
    cast(row_count as integer) as row_count,
    cast(budget_line_count as integer) as budget_line_count,
    cast(budget_total as hugeint) as budget_total_rupiah,
    _loaded_at as loaded_at
from {{ source('raw_rat', 'rat_documents') }}
