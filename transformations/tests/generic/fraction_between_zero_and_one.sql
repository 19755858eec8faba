{# A rate column holds a fraction in [0, 1] (or NULL when its denominator was 0). #}
{% test fraction_between_zero_and_one(model, column_name) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1

{% endtest %}
