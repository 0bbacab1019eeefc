-- RAT matrix rows with the keys of the star: document, program (the hierarchy down to kegiatan), the
-- performance indicator the row's Kinerja target measures, and the budget line. The target measures the
-- program indicator when the row has one (stunting 12%, wasting 6% under one activity), else the
-- activity's indicator, else the goal's.
with matrix_rows as (
    select
        *,
        case
            when indikator_program != '' then 'program'
            when indikator_kegiatan != '' then 'kegiatan'
            when indikator_sasaran != '' then 'sasaran'
        end as indicator_level,
        coalesce(nullif(indikator_program, ''), nullif(indikator_kegiatan, ''), nullif(indikator_sasaran, ''))
            as indicator_text
    from {{ ref('stg_rat__matrix_rows') }}
    -- Facts and marts count the current version of each plan only; dim_document lists every version.
    where document_sha256 in (select document_sha256 from {{ ref('int_rat__document_versions') }} where is_current)
)

select
    *,
    {{ surrogate_key(['document_sha256']) }} as document_key,
    {{ surrogate_key(['document_sha256', 'sektor', 'kebijakan', 'sasaran', 'program', 'kegiatan']) }}
        as program_key,
    case
        when indicator_text is null then 'RAT-UNSPECIFIED'
        else 'RAT-' || left(md5(indicator_level || '|' || lower(indicator_text)), 12)
    end as indicator_code,
    case when budget_line is not null then {{ surrogate_key(['document_sha256', 'budget_line']) }} end
        as budget_line_key,
    coalesce(nullif(split_part(coalesce(funding_source_codes, ''), ' ', 1), ''), 'NONE')
        as primary_funding_source_code,
    list_filter(string_split(coalesce(lokasi_bps_codes, ''), ' '), lambda code: code != '') as regency_codes
from matrix_rows
