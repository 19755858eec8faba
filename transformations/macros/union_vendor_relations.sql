{#
  The vendors (DECISIONLOG.md, "Vendors"): var `vendors` in dbt_project.yml is the one list of them.
  Every name is a `source_system` value and the middle of each of the vendor's model names:
  stg_<vendor>__conversations, int_<vendor>__conversations, int_<vendor>__intents,
  int_<vendor>__export_days.
#}

{# The vendor names, in the order of var `vendors` (a single text value is a one-vendor list). #}
{% macro vendor_names() -%}
    {{ return(text_list_var('vendors')) }}
{%- endmacro %}

{#
  One ref per vendor to its model `<layer>_<vendor>__<entities>`, e.g.
  vendor_refs('int', 'conversations') -> [ref('int_ultimate__conversations'), ref('int_genesys__conversations')].
#}
{% macro vendor_refs(layer, entities) -%}
    {%- set relations = [] -%}
    {%- for vendor in vendor_names() -%}
        {%- do relations.append(ref(layer ~ '_' ~ vendor ~ '__' ~ entities)) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

{#
  UNION ALL of the same columns from each vendor's model. The intermediate *_unioned models pass
  vendor_refs(...); each vendor's model must emit every column, cast to the shared types.
#}
{% macro union_vendor_relations(relations, columns) -%}
    {%- for relation in relations %}
    select
        {{ columns | join(',\n        ') }}
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
