{# 'true' / 'false' text (e.g. a JSON boolean read with json_field_text) -> boolean; anything else NULL. #}
{% macro text_to_boolean(text_expression) -%}
    {{ return(adapter.dispatch('text_to_boolean', 'parley')(text_expression)) }}
{%- endmacro %}

{% macro default__text_to_boolean(text_expression) -%}
    case lower({{ text_expression }}) when 'true' then true when 'false' then false end
{%- endmacro %}

{% macro duckdb__text_to_boolean(text_expression) -%}
    case lower({{ text_expression }}) when 'true' then true when 'false' then false end
{%- endmacro %}

{% macro bigquery__text_to_boolean(text_expression) -%}
    safe_cast(lower({{ text_expression }}) as bool)
{%- endmacro %}
