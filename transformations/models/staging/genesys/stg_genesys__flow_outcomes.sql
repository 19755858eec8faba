-- One row per flow outcome a Genesys conversation entered, in time order (intent_position, 0-based):
-- Parley's intents for Genesys (DECISIONLOG.md, "Genesys Cloud"). Named from Architect's outcome
-- list when it was loaded, else by outcome id.
with

source as (

    select * from {{ source('genesys', 'raw_genesys_conversations') }}

),

outcome_names as (

    select outcome_id, name from {{ source('genesys', 'raw_genesys_flow_outcomes') }}

),

outcome_elements as (

    select
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
        outcome_elements.bot_id,
        outcome_elements.conversation_id,
        outcome_elements.conversation_start as started_at,
        outcome_elements.outcome_position as intent_position,
        {{ json_field_text('outcome_elements.outcome_element', 'outcome_id') }} as intent_id,
        coalesce(
            outcome_names.name,
            {{ json_field_text('outcome_elements.outcome_element', 'outcome_id') }}
        ) as intent_name,
        {{ parse_utc_timestamp(json_field_text('outcome_elements.outcome_element', 'started_at')) }} as intent_at,
        -- every outcome is a purpose the flow recognised; the name list var still applies downstream
        true as is_meaningful,
        {{ json_field_text('outcome_elements.outcome_element', 'outcome_value') }} as outcome_value,
        {{ json_field_text('outcome_elements.outcome_element', 'flow_id') }} as flow_id

    from outcome_elements
    left join outcome_names
        on {{ json_field_text('outcome_elements.outcome_element', 'outcome_id') }} = outcome_names.outcome_id

)

select * from renamed
