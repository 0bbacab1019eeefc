select
    cast(bps_code as integer) as bps_code,
    area_name,
    cast(year as integer) as year,
    cast(semester as integer) as semester,
    indicator as indicator_code,
    cast(value as double) as value,
    unit,
    _source_file as source_file,
    cast(_source_row as integer) as source_row,
    _loaded_at as loaded_at
from {{ source('raw', 'bps_multi_year_csv') }}
