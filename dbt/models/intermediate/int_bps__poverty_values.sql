-- Every BPS value from every staged BPS source, in one shape, ranked within its cell: the layout's priority
-- first (seed bps_layout_priority), then a landed file over a bundled one (a user drops a newer download on
-- purpose), then the file whose name sorts last. fct_poverty_indicator keeps rank 1.
with unioned as (
    select * from {{ ref('stg_bps__downloads') }}
    union all
    select * from {{ ref('stg_bps__webapi') }}
),

-- NTT and its kab/kota, with urban and rural figures as indicator variants (P0_URBAN, ...).
ntt as (
    select
        * exclude (indicator_code),
        indicator_code
        || case area_type when 'urban' then '_URBAN' when 'rural' then '_RURAL' else '' end as indicator_code
    from unioned
    where province_bps_code = 5300
),

origins as (
    select source_file, any_value(origin) as origin
    from {{ ref('stg_ingest__source_files') }}
    where source in ('bps_downloads', 'bps_webapi')
    group by source_file
)

select
    unioned.bps_code,
    unioned.year,
    unioned.semester,
    unioned.indicator_code,
    unioned.value,
    unioned.layout,
    unioned.source_file,
    unioned.source_row,
    coalesce(origins.origin, 'bundled') as origin,
    priority.priority as layout_priority,
    row_number() over (
        partition by unioned.bps_code, unioned.year, unioned.semester, unioned.indicator_code
        order by priority.priority, origins.origin = 'landed' desc, unioned.source_file desc, unioned.source_row
    ) as source_rank
from ntt as unioned
join {{ ref('stg_reference__bps_layout_priority') }} as priority using (layout)
left join origins using (source_file)
