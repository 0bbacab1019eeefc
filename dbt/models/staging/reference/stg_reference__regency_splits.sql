select cast(bps_code as integer) as bps_code, cast(parent_bps_code as integer) as parent_bps_code,
       cast(split_year as integer) as split_year, law
from {{ ref('regency_splits') }}
