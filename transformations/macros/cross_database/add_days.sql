{# A DATE plus a whole number of days, still a DATE. #}
{% macro add_days(date_expression, days) -%}
    {{ return(adapter.dispatch('add_days', 'parley')(date_expression, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expression, days) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}

{% macro duckdb__add_days(date_expression, days) -%}
    {#- DATE + INTEGER is a DATE in DuckDB (DATE + INTERVAL would be a TIMESTAMP). -#}
    ({{ date_expression }} + {{ days }})
{%- endmacro %}

{% macro bigquery__add_days(date_expression, days) -%}
    date_add({{ date_expression }}, interval {{ days }} day)
{%- endmacro %}
