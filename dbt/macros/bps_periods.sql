{#- How a period code of the observations (ingest.bps.titles.PERIODS) reads and dates: one place for
    dim_period and the models that rank or label periods. -#}
{% macro breakdown_suffix(breakdown) -%}
    {#- The indicator variant a breakdown makes: P0 + urban = P0_URBAN, a sex or sub-indicator its label in
        capitals (AHH + Laki-laki = ..._LAKI_LAKI), shortened with a digest when long. -#}
    case
        when {{ breakdown }} = 'total' then ''
        when {{ breakdown }} = 'urban' then '_URBAN'
        when {{ breakdown }} = 'rural' then '_RURAL'
        when length(trim(regexp_replace(upper({{ breakdown }}), '[^A-Z0-9]+', '_', 'g'), '_')) <= 32
            then '_' || trim(regexp_replace(upper({{ breakdown }}), '[^A-Z0-9]+', '_', 'g'), '_')
        else '_' || left(trim(regexp_replace(upper({{ breakdown }}), '[^A-Z0-9]+', '_', 'g'), '_'), 24)
            || '_' || upper(left(md5(trim(regexp_replace(upper({{ breakdown }}), '[^A-Z0-9]+', '_', 'g'), '_')), 6))
    end
{%- endmacro %}

{% macro period_semester(period) -%}
    case {{ period }} when 'S1' then 1 when 'S2' then 2 end
{%- endmacro %}

{% macro period_round(period) -%}
    {#- The survey round a sub-annual period is: Susenas march/september, a month's name, a quarter. -#}
    case
        when {{ period }} = 'S1' then 'march'
        when {{ period }} = 'S2' then 'september'
        when {{ period }} like 'M%' then lower(monthname(make_date(2000, cast(substr({{ period }}, 2) as integer), 1)))
        when {{ period }} like 'Q%' then lower({{ period }})
    end
{%- endmacro %}

{% macro period_label_suffix(period) -%}
    {#- What follows the year in a period's label: "" (annual), " S1 (Maret)", " Februari", " Q1 (Triwulan I)". -#}
    case
        when {{ period }} = 'annual' then ''
        when {{ period }} = 'S1' then ' S1 (Maret)'
        when {{ period }} = 'S2' then ' S2 (September)'
        when {{ period }} like 'M%' then ' ' || list_element(
            ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober',
             'November', 'Desember'], cast(substr({{ period }}, 2) as integer))
        when {{ period }} like 'Q%' then ' ' || {{ period }} || ' (Triwulan '
            || list_element(['I', 'II', 'III', 'IV'], cast(substr({{ period }}, 2) as integer)) || ')'
    end
{%- endmacro %}
