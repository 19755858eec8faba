{#
  The value of a JSON scalar itself as text, e.g. an element of a JSON array of strings from
  unnest_json_array_with_position ('"en"' -> 'en'); NULL for JSON null, objects and arrays.
  (json_field_text reads a field of an object; this reads the value at the root.)
#}
{% macro json_scalar_text(json_expression) -%}
    {{ return(adapter.dispatch('json_scalar_text', 'parley')(json_expression)) }}
{%- endmacro %}

{% macro default__json_scalar_text(json_expression) -%}
    json_value({{ json_expression }}, '$')
{%- endmacro %}

{% macro duckdb__json_scalar_text(json_expression) -%}
    {#- json_extract_string returns NULL for JSON null; an object or array comes back as its JSON text,
        so it is kept out by type. -#}
    case
        when json_type({{ json_expression }}) not in ('OBJECT', 'ARRAY')
            then json_extract_string({{ json_expression }}, '$')
    end
{%- endmacro %}

{% macro bigquery__json_scalar_text(json_expression) -%}
    {#- JSON_VALUE with the root path: STRING for scalars, NULL for JSON null, objects and arrays. The
        emulator needs the path argument spelled out. -#}
    json_value({{ json_expression }}, '$')
{%- endmacro %}
