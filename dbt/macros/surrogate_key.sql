{#- A stable text key from natural-key columns: md5 of the values joined by '|', nulls spelled out so
    (2023, null) and (2023, 0) differ. Same idea as dbt_utils.generate_surrogate_key, without the package
    (dbt hub is not reachable from every machine that builds this project). -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'
    {%- for column in columns %}, coalesce(cast({{ column }} as varchar), '_null_'){% endfor -%}
    ))
{%- endmacro %}
