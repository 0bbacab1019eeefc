-- Figures that exist only in releases (extreme poverty), in the fact's shape: one per area, year and
-- indicator the warehouse carries (seed bps_indicators: P0_EXTREME, POOR_EXTREME_COUNT), with who produced it
-- and its caveats. A group of areas without a code ("5 kabupaten prioritas") and indicators the warehouse does
-- not carry (households) stay in the staging table and the flag list. No release says which Susenas round it
-- is: survey_round 'unstated'. Two rows for one cell: a BPS figure before an estimate, then the file whose
-- name sorts last, then the later row; the reader flags such pairs in notes (provenance.poverty_release_flags).
select
    figures.bps_code,
    figures.area_name,
    figures.year,
    cast(null as integer) as semester,
    'unstated' as survey_round,
    figures.indicator_code,
    figures.value,
    'release' as layout,
    figures.producer,
    figures.notes,
    figures.source_url,
    figures.source_file,
    figures.source_row,
    row_number() over (
        partition by figures.bps_code, figures.year, figures.indicator_code
        order by figures.producer ilike '%BPS%' desc, figures.source_file desc, figures.source_row desc
    ) as source_rank
from {{ ref('stg_releases__poverty_figures') }} as figures
join {{ ref('stg_reference__bps_indicators') }} as indicators using (indicator_code)
where figures.bps_code is not null
