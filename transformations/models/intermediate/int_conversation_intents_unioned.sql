-- Every vendor's triggered intents in one shape, one row per intent
-- (key source_system + bot_id + conversation_id + intent_position).
-- A new vendor: add its intents staging model to the list. intent_position is the vendor's own
-- order (array index, row order ...); it only breaks ties between equal intent_at.
{%- set vendor_intents = [
    ref('stg_ultimate__intent_replies'),
    ref('stg_genesys__flow_outcomes'),
] %}

{%- set columns = [
    'source_system',
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
    {{ union_vendor_relations(vendor_intents, columns) }}
)

select * from unioned
