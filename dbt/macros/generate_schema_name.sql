{#- Use the folder's schema name as is (staging, intermediate, main), not "<target>_<custom>":
    analysts and BI tools look for stable schema names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
