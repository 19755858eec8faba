{# The UTC calendar date of a timestamp (raw timestamps are UTC on every warehouse). #}
{% macro utc_date(timestamp_expression) -%}
    {{ return(adapter.dispatch('utc_date', 'parley')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__utc_date(timestamp_expression) -%}
    cast({{ timestamp_expression }} as date)
{%- endmacro %}

{% macro duckdb__utc_date(timestamp_expression) -%}
    {#- Raw columns are TIMESTAMP (no time zone) holding UTC: the date part is the UTC date. -#}
    cast({{ timestamp_expression }} as date)
{%- endmacro %}

{% macro bigquery__utc_date(timestamp_expression) -%}
    date({{ timestamp_expression }}, 'UTC')
{%- endmacro %}
