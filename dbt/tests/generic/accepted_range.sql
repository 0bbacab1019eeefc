{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null and not (
    {% if min_value is not none %}{{ column_name }} {{ '>=' if inclusive else '>' }} {{ min_value }}{% else %}true{% endif %}
    and
    {% if max_value is not none %}{{ column_name }} {{ '<=' if inclusive else '<' }} {{ max_value }}{% else %}true{% endif %}
)
{% endtest %}
