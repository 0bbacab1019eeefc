-- Every RAT document with its version standing. A plan is one issuer (the province or a kab/kota) and one
-- plan year; when several different documents give the same plan, exactly one is current:
--   1. an explicit revision marker wins over none ("Perubahan Kedua" over "Perubahan"),
--   2. then the later date the document prints for itself,
--   3. then the later landing time (when its content was first seen),
--   4. then the SHA-256, so the choice is stable.
-- The same bytes under several file names are one document: its names are listed, it is counted once.
with files as (
    select
        published_sha256 as document_sha256,
        min(case when sha256 = published_sha256 then content_since else first_seen end) as landed_at,
        string_agg(source_file, ' | ' order by source_file) as file_names,
        count(*) as file_count
    from {{ ref('stg_ingest__source_files') }}
    where source = 'rat_plans' and published_sha256 is not null
    group by 1
),

documents as (
    select
        documents.*,
        files.landed_at,
        files.file_names,
        coalesce(files.file_count, 1) as file_count,
        case
            when documents.revision_marker is null then 0
            when regexp_matches(lower(documents.revision_marker), '(ketiga|\biii\b|\b3\b)') then 3
            when regexp_matches(lower(documents.revision_marker), '(kedua|\bii\b|\b2\b)') then 2
            else 1
        end as revision_rank
    from {{ ref('stg_rat__documents') }} as documents
    left join files using (document_sha256)
),

ranked as (
    select
        *,
        row_number() over (
            partition by issuer_bps_code, year
            order by revision_rank desc, printed_date desc nulls last, landed_at desc nulls last, document_sha256
        ) as version_rank,
        count(*) over (partition by issuer_bps_code, year) as version_count
    from documents
)

select
    ranked.*,
    ranked.version_rank = 1 as is_current,
    case when ranked.version_rank > 1 then current_version.document_sha256 end as superseded_by_sha256,
    case when ranked.version_rank > 1 then current_version.source_file end as superseded_by_file,
    case
        when ranked.version_rank = 1 then null
        when current_version.revision_rank > ranked.revision_rank
            then 'the current version is marked as a revision ("' || current_version.revision_marker || '")'
        when current_version.printed_date > ranked.printed_date
            or (current_version.printed_date is not null and ranked.printed_date is null)
            then 'the current version prints a later date (' || strftime(current_version.printed_date, '%Y-%m-%d') || ')'
        when current_version.landed_at > ranked.landed_at
            then 'the current version was landed later (' || strftime(current_version.landed_at, '%Y-%m-%d %H:%M') || ' UTC)'
        else 'same revision, date and landing time: the current version is chosen by its SHA-256'
    end as superseded_reason
from ranked
left join ranked as current_version
    on current_version.issuer_bps_code = ranked.issuer_bps_code
    and current_version.year = ranked.year
    and current_version.version_rank = 1
