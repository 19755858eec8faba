{#
  UNION ALL of the same columns from each vendor's model. The intermediate *_unioned models list
  their vendor members; a new vendor adds one ref to that list (its staging model must already emit
  every column, cast to the shared types).
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
