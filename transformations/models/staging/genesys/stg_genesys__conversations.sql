-- One row per Genesys Cloud conversation, in the shared conversation shape, with its containment
-- outcome. Every rule here is in DECISIONLOG.md ("Genesys Cloud"); the facts it reads (bot flow,
-- queue / agent start, customer disconnect, flow outcomes) are typed by the connector.
with

source as (

    select * from {{ source('genesys', 'raw_genesys_conversations') }}

),

outcomes as (

    -- flow outcomes in time order (the connector sorts flow_outcomes by started_at)
    select
        source.conversation_id,
        source.conversation_start,
        {{ json_field_text('outcome_element', 'outcome_value') }} as outcome_value,
        outcome_position
    from source
    {{ unnest_json_array_with_position('source.flow_outcomes', 'outcome_element', 'outcome_position') }}

),

outcome_summary as (

    -- conversation_start rides along so a filter on the start day reaches this scan too
    select
        conversation_id,
        conversation_start,
        sum(case when outcome_value = 'SUCCESS' then 1 else 0 end) as successful_outcomes,
        max(outcome_position) as last_outcome_position
    from outcomes
    group by conversation_id, conversation_start

),

last_outcomes as (

    select
        outcome_summary.conversation_id,
        outcome_summary.conversation_start,
        outcome_summary.successful_outcomes,
        outcomes.outcome_value as last_outcome_value
    from outcome_summary
    inner join outcomes
        on outcome_summary.conversation_id = outcomes.conversation_id
        and outcome_summary.last_outcome_position = outcomes.outcome_position

),

facts as (

    select
        source.*,
        coalesce(last_outcomes.successful_outcomes, 0) as successful_outcomes,
        last_outcomes.last_outcome_value,
        -- when the conversation first reached a queue or an agent (either may be missing)
        case
            when source.acd_started_at is null then source.agent_started_at
            when source.agent_started_at is null then source.acd_started_at
            when source.acd_started_at <= source.agent_started_at then source.acd_started_at
            else source.agent_started_at
        end as escalated_at
    from source
    left join last_outcomes
        on source.conversation_id = last_outcomes.conversation_id
        and source.conversation_start = last_outcomes.conversation_start

),

classified as (

    select
        facts.*,
        case
            -- still active: the outcome is not known yet (the row is replaced when it ends)
            when conversation_end is null then null
            -- the vendor's own flag wins when present
            when self_served then 'contained'
            -- a queue or an agent after the bot (or, without a bot, at all)
            when escalated_at is not null
                and (bot_flow_started_at is null or escalated_at >= bot_flow_started_at) then 'escalated'
            -- the customer left inside the bot before any outcome was reached
            when bot_flow_id is not null
                and successful_outcomes = 0
                and (bot_flow_exit_reason = 'DISCONNECT' or customer_disconnect_type in ('client', 'endpoint'))
                then 'abandoned'
            when self_served = false then 'escalated'
            -- the automated flow ended the conversation itself
            when bot_flow_id is not null or first_flow_id is not null then 'contained'
        end as containment_outcome
    from facts

),

renamed as (

    select
        -- keys
        'genesys' as source_system,
        {{ genesys_bot_id() }} as bot_id,
        conversation_id,

        -- descriptive
        coalesce(bot_flow_name, first_flow_name) as bot_name,
        bot_flow_id is not null as has_bot_flow,
        media_type as channel,
        cast(null as {{ dbt.type_string() }}) as language,
        originating_direction,

        -- timestamps (UTC)
        conversation_start as started_at,
        conversation_end as ended_at,

        -- status, in the shared vocabulary where the meaning is the same (DECISIONLOG.md)
        cast(null as {{ dbt.type_boolean() }}) as is_test,
        case containment_outcome
            when 'contained' then case when bot_flow_id is not null then 'botHandled' else 'selfService' end
            when 'escalated' then case when agent_started_at is not null then 'agent' else 'queue' end
            when 'abandoned' then 'dropOff'
        end as conversation_status,
        case last_outcome_value
            when 'SUCCESS' then 'resolved'
            when 'FAILURE' then 'notResolved'
        end as last_resolution,
        containment_outcome,
        self_served,

        -- Genesys detail records carry no message counts
        cast(null as {{ dbt.type_int() }}) as bot_messages_count,
        cast(null as {{ dbt.type_int() }}) as visitor_messages_count,
        cast(null as {{ dbt.type_int() }}) as not_understood_messages_count,

        -- load metadata
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from classified

)

select * from renamed
