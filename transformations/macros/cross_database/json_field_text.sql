{#
  The scalar value of a top-level field of a JSON object, as text (NULL when the field is missing,
  JSON null, or not a scalar). `field_name` is a plain key such as 'intent_name'.
#}
{% macro json_field_text(json_expression, field_name) -%}
    {{ return(adapter.dispatch('json_field_text', 'parley')(json_expression, field_name)) }}
{%- endmacro %}

{% macro default__json_field_text(json_expression, field_name) -%}
    {#- SQL:2016 JSON_VALUE (Postgres 17, Oracle, MySQL 8 ...). -#}
    json_value({{ json_expression }}, '$.{{ field_name }}')
{%- endmacro %}

{% macro duckdb__json_field_text(json_expression, field_name) -%}
    {#- json_extract_string returns NULL for JSON null; objects/arrays come back as JSON text,
        which the casts downstream turn into NULL. -#}
    json_extract_string({{ json_expression }}, '$.{{ field_name }}')
{%- endmacro %}

{% macro bigquery__json_field_text(json_expression, field_name) -%}
    {#- JSON_VALUE returns STRING for scalars (booleans as 'true'/'false'), NULL for objects/arrays. -#}
    json_value({{ json_expression }}, '$.{{ field_name }}')
{%- endmacro %}
