-- One row per flow outcome a Genesys conversation entered (the elements of the connector's
-- flow_outcomes array, which it sorts by start: outcome_position, 0-based), typed. They become
-- Parley's intents and the conversation's resolution in the intermediate models.
with

source as (

    select * from {{ source('genesys', 'raw_genesys_conversations') }}

),

outcome_elements as (

    select
        source.source_instance,
        {{ genesys_bot_id('source') }} as bot_id,
        source.conversation_id,
        source.conversation_start,
        outcome_element,
        outcome_position
    from source
    {{ unnest_json_array_with_position('source.flow_outcomes', 'outcome_element', 'outcome_position') }}

),

renamed as (

    select
        'genesys' as source_system,
        source_instance,
        bot_id,
        conversation_id,
        -- the conversation's start: incremental marts select outcomes by the conversation's day
        conversation_start as started_at,
        outcome_position,
        {{ json_field_text('outcome_element', 'outcome_id') }} as outcome_id,
        -- SUCCESS or FAILURE, as the flow set it
        {{ json_field_text('outcome_element', 'outcome_value') }} as outcome_value,
        {{ json_field_text('outcome_element', 'flow_id') }} as flow_id,
        {{ json_field_text('outcome_element', 'flow_type') }} as flow_type,
        {{ parse_utc_timestamp(json_field_text('outcome_element', 'started_at')) }} as outcome_started_at,
        {{ parse_utc_timestamp(json_field_text('outcome_element', 'ended_at')) }} as outcome_ended_at

    from outcome_elements

)

select * from renamed
