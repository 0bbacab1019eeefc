-- One row per budget line (a distinct Pagu cell): the rows that share it are one amount of money, spent
-- on the program of its first row, in every place any of its rows names.
with line_rows as (
    select * from {{ ref('int_rat__matrix_rows') }} where budget_line_key is not null
),

lines as (
    select
        budget_line_key,
        document_key,
        document_sha256,
        budget_line,
        any_value(year) as year,
        max(pagu_rupiah) as pagu_rupiah,
        count(*) as indicator_rows,
        arg_min(program_key, row_number) as program_key,
        arg_min(primary_funding_source_code, row_number) as funding_source_code,
        arg_min(funding_source_codes, row_number) as funding_source_codes,
        list_sort(list_distinct(flatten(list(regency_codes)))) as regency_code_texts,
        bool_or(lokasi_scope in ('province', 'province+regencies')) as names_province,
        bool_or(lokasi_scope = 'unspecified') as names_unspecified
    from line_rows
    group by budget_line_key, document_key, document_sha256, budget_line
)

select
    * exclude (regency_code_texts),
    list_transform(regency_code_texts, lambda code: cast(code as integer)) as regency_codes,
    len(regency_code_texts) as regency_count,
    case
        when len(regency_code_texts) > 0 and names_province then 'province+regencies'
        when len(regency_code_texts) > 0 then 'regencies'
        when names_province then 'province'
        when names_unspecified then 'unspecified'
        else 'none'
    end as location_scope
from lines
