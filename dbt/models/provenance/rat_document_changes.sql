-- What each superseded RAT document says differently from the current version of its plan: budget lines
-- whose Pagu differs (or that only one version has), and matrix rows whose text differs (compared by row
-- number, Pagu aside). One row per difference; a superseded copy identical to the current one has none.
with pairs as (
    select
        document_sha256 as superseded_sha256,
        superseded_by_sha256 as current_sha256,
        issuer_bps_code,
        year
    from {{ ref('int_rat__document_versions') }}
    where not is_current
),

matrix_rows as (
    select
        *,
        md5(concat_ws('|', sektor, kebijakan, sasaran, indikator_sasaran, program, indikator_program, kegiatan,
            indikator_kegiatan, lokasi, target_kinerja, sumber_pendanaan)) as text_digest
    from {{ ref('stg_rat__matrix_rows') }}
),

lines as (
    select
        document_sha256,
        budget_line,
        max(pagu_rupiah) as pagu_rupiah,
        min(row_number) as first_row,
        arg_min(program, row_number) as program,
        arg_min(kegiatan, row_number) as kegiatan
    from matrix_rows
    where budget_line is not null
    group by 1, 2
),

old_lines as (
    select pairs.*, lines.* exclude (document_sha256) from pairs join lines on lines.document_sha256 = pairs.superseded_sha256
),

new_lines as (
    select pairs.*, lines.* exclude (document_sha256) from pairs join lines on lines.document_sha256 = pairs.current_sha256
),

line_changes as (
    select
        coalesce(o.superseded_sha256, n.superseded_sha256) as superseded_sha256,
        coalesce(o.current_sha256, n.current_sha256) as current_sha256,
        coalesce(o.issuer_bps_code, n.issuer_bps_code) as issuer_bps_code,
        coalesce(o.year, n.year) as year,
        'budget_line' as change_level,
        case when o.budget_line is null then 'added' when n.budget_line is null then 'removed' else 'changed' end
            as change,
        coalesce(o.budget_line, n.budget_line) as budget_line,
        coalesce(n.first_row, o.first_row) as row_number,
        coalesce(n.program, o.program) as program,
        coalesce(n.kegiatan, o.kegiatan) as kegiatan,
        o.pagu_rupiah as superseded_pagu_rupiah,
        n.pagu_rupiah as current_pagu_rupiah
    from old_lines as o
    full outer join new_lines as n
        on o.superseded_sha256 = n.superseded_sha256 and o.budget_line = n.budget_line
    where o.pagu_rupiah is distinct from n.pagu_rupiah
),

old_rows as (
    select pairs.*, r.row_number, r.program, r.kegiatan, r.text_digest
    from pairs join matrix_rows as r on r.document_sha256 = pairs.superseded_sha256
),

new_rows as (
    select pairs.*, r.row_number, r.program, r.kegiatan, r.text_digest
    from pairs join matrix_rows as r on r.document_sha256 = pairs.current_sha256
),

row_changes as (
    select
        coalesce(o.superseded_sha256, n.superseded_sha256) as superseded_sha256,
        coalesce(o.current_sha256, n.current_sha256) as current_sha256,
        coalesce(o.issuer_bps_code, n.issuer_bps_code) as issuer_bps_code,
        coalesce(o.year, n.year) as year,
        'row' as change_level,
        case when o.row_number is null then 'added' when n.row_number is null then 'removed' else 'changed' end
            as change,
        cast(null as integer) as budget_line,
        coalesce(o.row_number, n.row_number) as row_number,
        coalesce(n.program, o.program) as program,
        coalesce(n.kegiatan, o.kegiatan) as kegiatan,
        cast(null as bigint) as superseded_pagu_rupiah,
        cast(null as bigint) as current_pagu_rupiah
    from old_rows as o
    full outer join new_rows as n
        on o.superseded_sha256 = n.superseded_sha256 and o.row_number = n.row_number
    where o.text_digest is distinct from n.text_digest
)

select
    {{ surrogate_key(['superseded_sha256']) }} as superseded_document_key,
    {{ surrogate_key(['current_sha256']) }} as current_document_key,
    *
from (select * from line_changes union all select * from row_changes)
