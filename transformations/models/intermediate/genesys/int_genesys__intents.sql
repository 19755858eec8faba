-- One row per flow outcome a Genesys conversation entered, as Parley's intents (DECISIONLOG.md,
-- "Genesys Cloud"): in time order (intent_position = the connector's order by start), named from
-- Architect's outcome list of the same source instance when it was loaded, else by outcome id.
-- Every outcome is meaningful (a purpose the flow recognised); var not_meaningful_intent_names
-- still applies downstream.
with

outcomes as (

    select * from {{ ref('stg_genesys__conversation_outcomes') }}

),

outcome_names as (

    select source_instance, outcome_id, outcome_name from {{ ref('stg_genesys__flow_outcomes') }}

),

named as (

    select
        outcomes.source_system,
        outcomes.source_instance,
        outcomes.bot_id,
        outcomes.conversation_id,
        outcomes.started_at,
        outcomes.outcome_position as intent_position,
        outcomes.outcome_id as intent_id,
        coalesce(outcome_names.outcome_name, outcomes.outcome_id) as intent_name,
        outcomes.outcome_started_at as intent_at,
        true as is_meaningful,
        outcomes.outcome_value,
        outcomes.flow_id
    from outcomes
    left join outcome_names
        on outcomes.source_instance = outcome_names.source_instance
        and outcomes.outcome_id = outcome_names.outcome_id

)

select * from named
