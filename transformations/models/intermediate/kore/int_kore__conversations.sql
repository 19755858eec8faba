-- One row per Kore.ai session in the shared conversation shape. Every rule is in DECISIONLOG.md
-- ("Kore.ai"):
--   containment_outcome: the containment type the session was listed under (compared
--     case-insensitively): selfService -> contained, agent -> escalated, dropOff -> abandoned; NULL
--     while the session is active (session_status active, or no end yet) and for a type we do not
--     know. conversation_status is the same type in Kore's canonical spelling (NULL likewise).
--   is_bot_handled = contained (a Kore session always runs in a bot); is_automated = contained and
--     the bot executed at least one task (noOfTasksExecuted); is_failed_escalation, is_informed =
--     false (Kore has no such signal).
--   not_understood_messages_count = the session's fail rows (getAnalytics failintent);
--     visitor_messages_count and bot_messages_count are NULL: Kore counts bot and user messages
--     together (noOfMessagesExchanged), which is neither.
--   extracted_at = the newest load of the session or of any of its intent events: the intents
--     arrive in their own table, and the marts must rebuild a day when they do.
with

sessions as (

    select * from {{ ref('stg_kore__conversations') }}

),

intent_summaries as (

    -- per session: its fail rows, and the newest load among its events
    select
        source_instance,
        bot_id,
        conversation_id,
        sum(case when event_kind = 'fail' then 1 else 0 end) as fail_events,
        max(extracted_at) as intents_extracted_at
    from {{ ref('stg_kore__intents') }}
    group by source_instance, bot_id, conversation_id

),

facts as (

    select
        sessions.*,
        -- active: Kore says so, or the session has no end yet
        coalesce(lower(sessions.session_status) = 'active', false) or sessions.ended_at is null as is_active,
        case lower(sessions.containment_type)
            when 'selfservice' then 'selfService'
            when 'agent' then 'agent'
            when 'dropoff' then 'dropOff'
        end as known_containment_type,
        coalesce(intent_summaries.fail_events, 0) as fail_events,
        case
            when intent_summaries.intents_extracted_at > sessions.extracted_at
                then intent_summaries.intents_extracted_at
            else sessions.extracted_at
        end as newest_extracted_at
    from sessions
    left join intent_summaries
        on sessions.source_instance = intent_summaries.source_instance
        and sessions.bot_id = intent_summaries.bot_id
        and sessions.conversation_id = intent_summaries.conversation_id

),

classified as (

    select
        facts.*,
        case when is_active then null else known_containment_type end as conversation_status,
        case
            when is_active then null
            when known_containment_type = 'selfService' then 'contained'
            when known_containment_type = 'agent' then 'escalated'
            when known_containment_type = 'dropOff' then 'abandoned'
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

        -- descriptive (getSessions carries no bot name)
        cast(null as {{ dbt.type_string() }}) as bot_name,
        channel,
        language,
        session_type,
        user_id,

        -- timestamps (UTC); no end while active
        started_at,
        case when is_active then null else ended_at end as ended_at,

        -- status, in the shared vocabulary where the meaning is the same
        is_test,
        is_active,
        containment_type,
        reported_containment_type,
        session_status,
        conversation_status,
        cast(null as {{ dbt.type_string() }}) as last_resolution,
        containment_outcome,

        -- vendor flags
        coalesce(containment_outcome = 'contained', false) as is_bot_handled,
        false as is_failed_escalation,
        false as is_informed,
        coalesce(containment_outcome = 'contained' and tasks_executed > 0, false) as is_automated,

        -- message counts: Kore counts bot and user messages together, which is neither count
        messages_exchanged,
        tasks_executed,
        cast(null as {{ dbt.type_int() }}) as bot_messages_count,
        cast(null as {{ dbt.type_int() }}) as visitor_messages_count,
        cast(fail_events as {{ dbt.type_int() }}) as not_understood_messages_count,

        -- load metadata: the session's or its newest intent event's load
        newest_extracted_at as extracted_at,
        sync_id

    from classified

)

select * from final
