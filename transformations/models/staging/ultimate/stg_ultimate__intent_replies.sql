-- One row per triggered intent of an Ultimate conversation: the elements of the normalised
-- triggered_intent_replies JSON array, in array order (intent_position, 0-based).
with

source as (

    select * from {{ source('ultimate', 'raw_ultimate_conversations') }}

),

intent_elements as (

    select
        source.source_instance,
        source.bot_id,
        source.conversation_id,
        source.conversation_start_time,
        intent_element,
        intent_position
    from source
    {{ unnest_json_array_with_position('source.triggered_intent_replies', 'intent_element', 'intent_position') }}

),

renamed as (

    select
        'ultimate' as source_system,
        source_instance,
        bot_id,
        conversation_id,
        -- the conversation's start: incremental marts select intents by the conversation's day
        conversation_start_time as started_at,
        intent_position,
        {{ json_field_text('intent_element', 'intent_id') }} as intent_id,
        {{ json_field_text('intent_element', 'intent_name') }} as intent_name,
        {{ parse_utc_timestamp(json_field_text('intent_element', 'intent_timestamp')) }} as intent_at,
        -- the vendor's not_meaningful flag, typed (JSON boolean or its text); NULL when missing.
        -- Which intents count as meaningful: int_ultimate__intents.
        {{ text_to_boolean(json_field_text('intent_element', 'not_meaningful')) }} as is_not_meaningful

    from intent_elements

)

select * from renamed
