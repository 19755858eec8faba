{#
  Every row's combination of `columns` exists in `to` (same column names there). The multi-column
  twin of the built-in `relationships` test; rows with a NULL in the key are not checked.
#}
{% test relationships_on_key(model, columns, to) %}

with

child_keys as (
    select distinct {{ columns | join(', ') }}
    from {{ model }}
    where {% for column in columns %}{{ column }} is not null{{ " and " if not loop.last }}{% endfor %}
),

parent_keys as (
    select distinct {{ columns | join(', ') }}
    from {{ to }}
)

select child_keys.*
from child_keys
left join parent_keys
    on {% for column in columns %}child_keys.{{ column }} = parent_keys.{{ column }}{{ "\n    and " if not loop.last }}{% endfor %}
where parent_keys.{{ columns[0] }} is null

{% endtest %}
