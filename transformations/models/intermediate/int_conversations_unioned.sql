-- Every vendor's conversations in one shape (key source_system + bot_id + conversation_id).
-- A new vendor: add its staging model to the list; it must emit these columns with these types.
{%- set vendor_conversations = [
    ref('stg_ultimate__conversations'),
    ref('stg_genesys__conversations'),
] %}

{%- set columns = [
    'source_system',
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
    'visitor_messages_count',
    'bot_messages_count',
    'not_understood_messages_count',
    'extracted_at',
] %}

with

unioned as (
    {{ union_vendor_relations(vendor_conversations, columns) }}
)

select * from unioned
