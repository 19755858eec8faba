{#
  Text such as '2026-11-01T10:00:01.000Z' -> a UTC timestamp of the warehouse's usual kind
  (DuckDB TIMESTAMP holding UTC wall time, like the raw tables; BigQuery TIMESTAMP). An explicit
  offset is honoured; text without one is taken as UTC; unparsable text gives NULL, never an error.
#}
{% macro parse_utc_timestamp(text_expression) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'parley')(text_expression)) }}
{%- endmacro %}

{% macro default__parse_utc_timestamp(text_expression) -%}
    cast({{ text_expression }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__parse_utc_timestamp(text_expression) -%}
    {#- A plain cast to TIMESTAMP silently drops an offset ('...+02:00' keeps 10:00), so text with an
        offset goes through TIMESTAMPTZ and back to UTC wall time; text without one must not, as
        TIMESTAMPTZ would read it in the session time zone. -#}
    case
        when regexp_matches(trim({{ text_expression }}), '(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then try_cast(trim({{ text_expression }}) as timestamptz) at time zone 'UTC'
        else try_cast(trim({{ text_expression }}) as timestamp)
    end
{%- endmacro %}

{% macro bigquery__parse_utc_timestamp(text_expression) -%}
    {#- Canonical timestamp text: 'T' or space separator, optional 'Z' / offset. TIMESTAMP(text, 'UTC')
        says "UTC when absent" outright rather than leaning on the default time zone of a cast (UTC on
        BigQuery, America/Los_Angeles on the emulator); SAFE. gives NULL for unparsable text. Trimmed
        as on DuckDB. -#}
    safe.timestamp(trim({{ text_expression }}), 'UTC')
{%- endmacro %}
