-- Every BPS value from every staged BPS source, in one shape, ranked within its cell: the source's
-- priority first (seed bps_source_priority), then a landed file over a bundled one (a user drops a newer
-- download on purpose), then the file whose name sorts last. fct_poverty_indicator keeps rank 1.
{% set sources = [
    'stg_bps__webapi', 'stg_bps__multi_year_table', 'stg_bps__single_year_table',
    'stg_bps__province_semester_table', 'stg_bps__tabel_dinamis', 'stg_bps__long_export'
] %}

with unioned as (
    {% for model in sources %}
    select bps_code, year, semester, indicator_code, value, source_table, source_file, source_row, origin
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    unioned.*,
    priority.priority as source_priority,
    row_number() over (
        partition by unioned.bps_code, unioned.year, unioned.semester, unioned.indicator_code
        order by priority.priority, unioned.origin = 'landed' desc, unioned.source_file desc, unioned.source_row
    ) as source_rank
from unioned
join {{ ref('stg_reference__bps_source_priority') }} as priority using (source_table)
