select
    cast(bps_code as integer) as bps_code,
    kemendagri_code,
    name,
    type as regency_type,
    aliases,
    cast(formed_year as integer) as formed_year
from {{ ref('ntt_regencies') }}
