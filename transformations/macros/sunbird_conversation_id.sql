{#
  Sunbird UCI's conversation (DECISIONLOG.md, "Sunbird UCI"): the answers of one user (Device ID) in
  one session of a bot; where the row has no Session ID (files older than the column, or an empty
  cell), the answers of that user on one UTC day (of the answer's Timestamp). One definition for
  every Sunbird model; `relation` qualifies the columns of stg_sunbird__responses when needed.

    sunbird_session_id()        the Session ID, NULL when missing or blank
    sunbird_conversation_id()   '<device_id>:session:<session_id>', else '<device_id>:day:<yyyy-mm-dd>'

  The id is text the analyst can read back: the Device ID (a UUID, the private exhaust's Device
  UUID), a marker, then the Session ID or the UTC day. A session and a day never share an id (the
  markers differ), and a Device ID without ':' (a UUID) makes the split unambiguous.
#}
{% macro sunbird_session_id(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    case when trim({{ prefix }}session_id) <> '' then {{ prefix }}session_id end
{%- endmacro %}

{% macro sunbird_conversation_id(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    case
        when trim({{ prefix }}session_id) <> ''
            then {{ prefix }}device_id || ':session:' || {{ prefix }}session_id
        else {{ prefix }}device_id || ':day:' || cast({{ utc_date(prefix ~ 'answered_at') }} as {{ dbt.type_string() }})
    end
{%- endmacro %}
