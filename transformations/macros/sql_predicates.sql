{#
  `expression NOT IN (<values as string literals>)`; true for an empty list. Like SQL's NOT IN it is
  NULL (not true) when the expression is NULL — callers check NULLs themselves.
#}
{% macro not_in_text_values(expression, values) -%}
    {%- if values | length == 0 -%}
        true
    {%- else -%}
        {{ expression }} not in (
            {%- for value in values -%}
                '{{ dbt.escape_single_quotes(value | string) }}'{{ ", " if not loop.last }}
            {%- endfor -%}
        )
    {%- endif -%}
{%- endmacro %}

{#
  The conversations that the metric marts count (DECISIONLOG.md, "Which conversations are counted"):
  by default neither test_mode conversations nor suggestion-engine ones (bot_messages_count = 0),
  as in the vendor's Bot Summary. Vars include_test_conversations / include_suggestion_engine_conversations
  switch each back on. Unknown values (NULL) are counted: only a known test flag / a known zero excludes.
#}
{% macro in_metrics_scope(is_test_column='is_test', bot_messages_count_column='bot_messages_count') -%}
    {%- set conditions = [] -%}
    {%- if not flag_var('include_test_conversations') -%}
        {%- do conditions.append('coalesce(' ~ is_test_column ~ ', false) = false') -%}
    {%- endif -%}
    {%- if not flag_var('include_suggestion_engine_conversations') -%}
        {%- do conditions.append('coalesce(' ~ bot_messages_count_column ~ ', -1) <> 0') -%}
    {%- endif -%}
    {{ '(' ~ (conditions | join(' and ')) ~ ')' if conditions else 'true' }}
{%- endmacro %}
