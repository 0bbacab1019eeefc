-- Every area the BPS data can name: Indonesia (level country, BPS code 0), its 38 provinces and 514 kab/kota,
-- coded from BPS's own list (data/reference). NTT's areas keep their planning columns (Kemendagri code, the
-- area each newer regency was split from). area_key is the md5 of the BPS code, the same key dim_regency's
-- regency_key has always been, so joins written for dim_regency keep working.
with areas as (
    select
        bps_code,
        name,
        level,
        case level when 'country' then 'Negara' else 'Provinsi' end as area_type,
        cast(case when level = 'province' then 0 end as integer) as parent_bps_code,
        case when level = 'province' then bps_code end as province_bps_code,
        cast(null as integer) as previous_province_bps_code,
        formed_year
    from {{ ref('bps_provinces') }}
    union all
    select
        bps_code,
        name,
        'kabkota',
        type,
        province_bps_code,
        province_bps_code,
        previous_province_bps_code,
        formed_year
    from {{ ref('bps_kabkota') }}
),

ntt as (
    select * from {{ ref('stg_reference__ntt_regencies') }}
)

select
    {{ surrogate_key(['areas.bps_code']) }} as area_key,
    areas.bps_code,
    areas.name,
    areas.level,
    areas.area_type as type,
    areas.parent_bps_code,
    areas.province_bps_code,
    provinces.name as province_name,
    areas.previous_province_bps_code,
    coalesce(ntt.formed_year, areas.formed_year) as formed_year,
    coalesce(areas.province_bps_code = 5300, false) as is_ntt,
    -- Kemendagri's numbering, for NTT's areas only; it differs from BPS's: never join on it.
    case when areas.bps_code = 5300 then '53' else ntt.kemendagri_code end as kemendagri_code,
    splits.parent_bps_code as split_from_bps_code,
    splits.split_year
from areas
left join areas as provinces on provinces.bps_code = areas.province_bps_code
left join ntt on ntt.bps_code = areas.bps_code
left join {{ ref('stg_reference__regency_splits') }} as splits on splits.bps_code = areas.bps_code
