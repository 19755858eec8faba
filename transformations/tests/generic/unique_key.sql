{#
  The combination of `columns` identifies a row: no two rows share it. (Each column's not_null is a
  separate test.) Example: unique_key: {arguments: {columns: [source_system, bot_id, conversation_id]}}
#}
{% test unique_key(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as rows_with_this_key
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
