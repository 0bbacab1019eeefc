{#- Every BPS raw table has the same long shape (ingest.bps.OBSERVATION_COLUMNS); staging renames and types it
    the same way. -#}
{% macro stage_bps_observations(table_name) -%}
select
    layout,
    cast(bps_code as integer) as bps_code,
    area_name,
    area_level,
    cast(province_bps_code as integer) as province_bps_code,
    cast(year as integer) as year,
    period,
    breakdown,
    indicator as indicator_code,
    indicator_name,
    cast(value as double) as value,
    unit,
    _source_file as source_file,
    cast(_source_row as integer) as source_row,
    _source_sha256 as source_sha256,
    _loaded_at as loaded_at
from {{ source('bps', table_name) }}
{%- endmacro %}
