-- One row per Genesys Cloud conversation in the shared conversation shape. Every rule here is in
-- DECISIONLOG.md ("Genesys Cloud"): the containment outcome (first rule that applies), the derived
-- conversation_status and last_resolution (Genesys has neither), and the vendor flags:
--   is_bot_handled = contained by a bot flow (status botHandled); is_automated = the last flow
--   outcome is SUCCESS (last_resolution resolved); is_informed, is_failed_escalation = false
--   (Genesys has no such signal).
with

conversations as (

    select * from {{ ref('stg_genesys__conversations') }}

),

ranked_outcomes as (

    -- flow outcomes, the last one first (the connector sorts flow_outcomes by start). started_at
    -- rides in the partition so that a filter on the conversation's start day reaches this scan too.
    select
        source_instance,
        conversation_id,
        started_at,
        outcome_value,
        row_number() over (
            partition by source_instance, conversation_id, started_at
            order by outcome_position desc
        ) as rank_from_last
    from {{ ref('stg_genesys__conversation_outcomes') }}

),

outcome_summaries as (

    select
        source_instance,
        conversation_id,
        started_at,
        sum(case when outcome_value = 'SUCCESS' then 1 else 0 end) as successful_outcomes,
        max(case when rank_from_last = 1 then outcome_value end) as last_outcome_value
    from ranked_outcomes
    group by source_instance, conversation_id, started_at

),

facts as (

    select
        conversations.*,
        coalesce(outcome_summaries.successful_outcomes, 0) as successful_outcomes,
        outcome_summaries.last_outcome_value,
        -- when the conversation first reached a queue or an agent (either may be missing)
        case
            when conversations.queue_started_at is null then conversations.agent_started_at
            when conversations.agent_started_at is null then conversations.queue_started_at
            when conversations.queue_started_at <= conversations.agent_started_at then conversations.queue_started_at
            else conversations.agent_started_at
        end as escalated_at
    from conversations
    left join outcome_summaries
        on conversations.source_instance = outcome_summaries.source_instance
        and conversations.conversation_id = outcome_summaries.conversation_id
        and conversations.started_at = outcome_summaries.started_at

),

classified as (

    select
        facts.*,
        case
            -- still active: the outcome is not known yet (the row is replaced when it ends)
            when ended_at is null then null
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

final as (

    select
        -- keys
        source_system,
        source_instance,
        bot_id,
        conversation_id,

        -- descriptive
        bot_name,
        has_bot_flow,
        channel,
        cast(null as {{ dbt.type_string() }}) as language,
        originating_direction,

        -- timestamps (UTC)
        started_at,
        ended_at,

        -- status, in the shared vocabulary where the meaning is the same
        cast(null as {{ dbt.type_boolean() }}) as is_test,
        case containment_outcome
            when 'contained' then case when has_bot_flow then 'botHandled' else 'selfService' end
            when 'escalated' then case when agent_started_at is not null then 'agent' else 'queue' end
            when 'abandoned' then 'dropOff'
        end as conversation_status,
        case last_outcome_value
            when 'SUCCESS' then 'resolved'
            when 'FAILURE' then 'notResolved'
        end as last_resolution,
        containment_outcome,
        self_served,
        successful_outcomes,

        -- vendor flags
        coalesce(containment_outcome = 'contained' and has_bot_flow, false) as is_bot_handled,
        false as is_failed_escalation,
        false as is_informed,
        coalesce(last_outcome_value = 'SUCCESS', false) as is_automated,

        -- Genesys detail records carry no message counts
        cast(null as {{ dbt.type_int() }}) as bot_messages_count,
        cast(null as {{ dbt.type_int() }}) as visitor_messages_count,
        cast(null as {{ dbt.type_int() }}) as not_understood_messages_count,

        -- load metadata
        extracted_at,
        sync_id

    from classified

)

select * from final
