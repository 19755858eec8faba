{#
  Genesys Cloud's bot_id (DECISIONLOG.md, "Genesys Cloud"): the bot flow's id, else the first flow
  the conversation entered (IVR / chat entry), else 'no-flow'. One definition for every Genesys
  staging model; `relation` qualifies the columns of raw_genesys_conversations when needed.
#}
{% macro genesys_bot_id(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    coalesce({{ prefix }}bot_flow_id, {{ prefix }}first_flow_id, 'no-flow')
{%- endmacro %}
