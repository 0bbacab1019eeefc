{{ config(materialized="view") }}

-- The province of Nusa Tenggara Timur and its 22 kab/kota, with the name and columns this table has always
-- had: a view over dim_area (regency_key = area_key), so the two can never disagree and every query written
-- for dim_regency keeps working. parent_bps_code here is the area a regency was split from.
select
    area_key as regency_key,
    bps_code,
    kemendagri_code,
    name,
    type,
    formed_year,
    case when level = 'kabkota' then province_bps_code end as province_bps_code,
    split_from_bps_code as parent_bps_code,
    split_year,
    level = 'province' as is_province
from {{ ref('dim_area') }}
where is_ntt
