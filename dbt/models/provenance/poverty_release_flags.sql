-- The contradictions the release reader found among the release figures (a group total that is not the sum
-- of its areas, a count and a rate implying populations far apart, two rows giving one cell different
-- values), one row per flag: listed, never fixed. The figures themselves are in fct_poverty_indicator.
select
    figures.bps_code,
    figures.area_name,
    figures.area_level,
    figures.year,
    figures.indicator_code,
    figures.value,
    figures.unit,
    figures.producer,
    trim(flag.text) as flag,
    figures.notes,
    figures.source_url,
    figures.source_file,
    figures.source_row
from {{ ref('stg_releases__poverty_figures') }} as figures
cross join unnest(string_split(figures.notes, ' | ')) as flag(text)
where trim(flag.text) like 'FLAG:%'
