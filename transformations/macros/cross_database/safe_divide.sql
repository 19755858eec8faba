{# numerator / denominator as a float; NULL (not an error, not infinity) when the denominator is 0 or NULL. #}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'parley')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    case
        when {{ denominator }} = 0 then null
        else cast({{ numerator }} as {{ dbt.type_float() }}) / {{ denominator }}
    end
{%- endmacro %}

{% macro duckdb__safe_divide(numerator, denominator) -%}
    case
        when {{ denominator }} = 0 then null
        else cast({{ numerator }} as double) / {{ denominator }}
    end
{%- endmacro %}

{% macro bigquery__safe_divide(numerator, denominator) -%}
    safe_divide({{ numerator }}, {{ denominator }})
{%- endmacro %}
