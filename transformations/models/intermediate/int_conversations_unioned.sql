-- Every vendor's conversations in one shape (key source_system + source_instance + bot_id +
-- conversation_id): int_<vendor>__conversations of each vendor in var `vendors`, which must emit
-- these columns with these types. The vendor flags (is_bot_handled, is_failed_escalation,
-- is_informed, is_automated) and containment_outcome are what the marts count; each vendor sets
-- them from its own signals (DECISIONLOG.md, "Vendor flags").
{%- set columns = [
    'source_system',
    'source_instance',
    'bot_id',
    'bot_name',
    'conversation_id',
    'started_at',
    'ended_at',
    'channel',
    'language',
    'is_test',
    'conversation_status',
    'last_resolution',
    'containment_outcome',
    'is_bot_handled',
    'is_failed_escalation',
    'is_informed',
    'is_automated',
    'visitor_messages_count',
    'bot_messages_count',
    'not_understood_messages_count',
    'extracted_at',
] %}

with

unioned as (
    {{ union_vendor_relations(vendor_refs('int', 'conversations'), columns) }}
)

select * from unioned
