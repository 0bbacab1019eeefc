select
    cast(bps_code as integer) as bps_code,
    area_name,
    area_level,
    cast(province_bps_code as integer) as province_bps_code,
    cast(year as integer) as year,
    indicator as indicator_code,
    cast(value as double) as value,
    unit,
    producer,
    source_url,
    notes,
    _source_file as source_file,
    cast(_source_row as integer) as source_row,
    _source_sha256 as source_sha256,
    _loaded_at as loaded_at
from {{ source('releases', 'poverty_releases') }}
