-- Every BPS value from every staged BPS source, in one shape. New sources are added to the union;
-- when two sources give the same cell, the lower source_priority wins in fct_poverty_indicator.
select
    bps_code,
    year,
    semester,
    indicator_code,
    value,
    source_file,
    source_row,
    1 as source_priority
from {{ ref('stg_bps__multi_year_csv') }}
