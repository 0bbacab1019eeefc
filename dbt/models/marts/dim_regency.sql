with regencies as (
    select bps_code, kemendagri_code, name, regency_type, formed_year, 5300 as province_bps_code
    from {{ ref('stg_reference__ntt_regencies') }}
),

province as (
    select
        5300 as bps_code,
        '53' as kemendagri_code,
        'Nusa Tenggara Timur' as name,
        'Provinsi' as regency_type,
        1958 as formed_year,
        cast(null as integer) as province_bps_code
),

areas as (
    select * from province
    union all
    select * from regencies
)

select
    {{ surrogate_key(['areas.bps_code']) }} as regency_key,
    areas.bps_code,
    areas.kemendagri_code,
    areas.name,
    areas.regency_type as type,
    areas.formed_year,
    areas.province_bps_code,
    splits.parent_bps_code,
    splits.split_year,
    areas.bps_code = 5300 as is_province
from areas
left join {{ ref('stg_reference__regency_splits') }} as splits using (bps_code)
