-- One row per recognised intent of a Kore.ai session (getAnalytics successintent rows), in the shared
-- intent shape (DECISIONLOG.md, "Kore.ai"):
--   only success rows: a fail row is an utterance the bot did not understand, not an intent (it is
--     counted as a not-understood message in int_kore__conversations);
--   only events of sessions in stg_kore__conversations: getAnalytics and getSessions are read
--     separately, so an event can arrive before its session; it joins the marts once the session
--     does (the session's load then rebuilds its day);
--   intent_position = 0-based order by occurred_at, ties by event_id, so first / last intent
--     (int_conversation_intents_summarized orders by intent_at, then intent_position) are
--     deterministic;
--   every recognised intent is meaningful; var not_meaningful_intent_names applies downstream.
-- Kore names intents but gives them no id: intent_id is NULL.
with

events as (

    select * from {{ ref('stg_kore__intents') }}
    where event_kind = 'success'

),

sessions as (

    select source_instance, bot_id, conversation_id, started_at from {{ ref('stg_kore__conversations') }}

),

ordered as (

    select
        events.source_system,
        events.source_instance,
        events.bot_id,
        events.conversation_id,
        -- the session's start: incremental marts select intents by the conversation's day
        sessions.started_at,
        cast(row_number() over (
            partition by events.source_instance, events.bot_id, events.conversation_id
            order by events.occurred_at asc, events.event_id asc
        ) - 1 as {{ dbt.type_int() }}) as intent_position,
        cast(null as {{ dbt.type_string() }}) as intent_id,
        events.intent_name,
        events.occurred_at as intent_at,
        true as is_meaningful,
        events.event_id,
        events.message_id,
        events.extracted_at
    from events
    inner join sessions
        on events.source_instance = sessions.source_instance
        and events.bot_id = sessions.bot_id
        and events.conversation_id = sessions.conversation_id

)

select * from ordered
