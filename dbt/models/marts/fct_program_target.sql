-- One row per RAT matrix row: what a program promises, for which indicator, where, with which budget line.
select
    {{ surrogate_key(['document_sha256', 'row_number']) }} as program_target_key,
    document_key,
    program_key,
    {{ surrogate_key(['indicator_code']) }} as indicator_key,
    budget_line_key,
    year,
    row_number,
    target_value,
    target_unit,
    target_kinerja as target_text,
    indikator_sasaran as sasaran_indicator_text,
    lokasi,
    lokasi_scope as location_scope,
    lokasi_bps_codes,
    page_first,
    page_last,
    covered_columns,
    uncertain_columns
from {{ ref('int_rat__matrix_rows') }}
