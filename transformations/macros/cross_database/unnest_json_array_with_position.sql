{#
  A join clause that turns a JSON array column into one row per element, keeping the element's
  0-based position in the array. Use it right after the FROM item that owns the column:

      from conversations
      {{ unnest_json_array_with_position('conversations.triggered_intent_replies', 'intent_element', 'intent_position') }}

  and refer to the element (JSON) and its position (integer) by the two names, unqualified.
  Rows whose column is SQL NULL, JSON null, an empty array or not an array produce no rows (it is an
  inner join: left-join the result back when you need those rows).
#}
{% macro unnest_json_array_with_position(array_expression, element_name, position_name) -%}
    {{ return(adapter.dispatch('unnest_json_array_with_position', 'parley')(array_expression, element_name, position_name)) }}
{%- endmacro %}

{% macro default__unnest_json_array_with_position(array_expression, element_name, position_name) -%}
    {{ exceptions.raise_compiler_error(
        "parley: unnest_json_array_with_position has no implementation for adapter '" ~ adapter.type()
        ~ "'. Add a " ~ adapter.type() ~ "__unnest_json_array_with_position macro in transformations/macros/cross_database/."
    ) }}
{%- endmacro %}

{% macro duckdb__unnest_json_array_with_position(array_expression, element_name, position_name) -%}
    {#- json_each yields (key, value) per element; for an array the key is the 0-based index as text.
        The json_type guard keeps objects/scalars out (json_each would walk an object's keys). -#}
    cross join lateral (
        select
            json_array_element.value as {{ element_name }},
            cast(json_array_element.key as integer) as {{ position_name }}
        from json_each(
            case when json_type({{ array_expression }}) = 'ARRAY' then {{ array_expression }} end
        ) as json_array_element
    ) as {{ element_name }}_unnested
{%- endmacro %}

{% macro bigquery__unnest_json_array_with_position(array_expression, element_name, position_name) -%}
    {#- JSON_QUERY_ARRAY returns NULL for JSON null / non-arrays, and UNNEST(NULL) yields no rows.
        Works whether the column is JSON (elements come back as JSON) or a JSON-formatted STRING. -#}
    cross join unnest(json_query_array({{ array_expression }})) as {{ element_name }}
        with offset as {{ position_name }}
{%- endmacro %}
