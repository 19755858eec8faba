-- Every vendor's triggered intents in one shape, one row per intent (key source_system +
-- source_instance + bot_id + conversation_id + intent_position): int_<vendor>__intents of each
-- vendor in var `vendors`. intent_position is the vendor's own order (array index, row order ...);
-- it only breaks ties between equal intent_at.
{%- set columns = [
    'source_system',
    'source_instance',
    'bot_id',
    'conversation_id',
    'started_at',
    'intent_position',
    'intent_id',
    'intent_name',
    'intent_at',
    'is_meaningful',
] %}

with

unioned as (
    {{ union_vendor_relations(vendor_refs('int', 'intents'), columns) }}
)

select * from unioned
