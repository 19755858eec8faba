{# The TIMESTAMP at 00:00:00 UTC of a DATE (the start of that UTC day), comparable with the raw UTC timestamps. #}
{% macro utc_midnight(date_expression) -%}
    {{ return(adapter.dispatch('utc_midnight', 'parley')(date_expression)) }}
{%- endmacro %}

{% macro default__utc_midnight(date_expression) -%}
    cast({{ date_expression }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__utc_midnight(date_expression) -%}
    {#- Raw columns are TIMESTAMP (no time zone) holding UTC wall time: midnight of the date. -#}
    cast({{ date_expression }} as timestamp)
{%- endmacro %}

{% macro bigquery__utc_midnight(date_expression) -%}
    {#- TIMESTAMP(date, 'UTC') says UTC outright (a CAST would use the default time zone: UTC on
        BigQuery, America/Los_Angeles on the emulator). -#}
    timestamp({{ date_expression }}, 'UTC')
{%- endmacro %}
