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
    {{ surrogate_key(['bps_code']) }} as regency_key,
    bps_code,
    kemendagri_code,
    name,
    regency_type as type,
    formed_year,
    province_bps_code,
    bps_code = 5300 as is_province
from areas
