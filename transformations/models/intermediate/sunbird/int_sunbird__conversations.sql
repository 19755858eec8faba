-- One row per Sunbird UCI conversation in the shared conversation shape. Every rule is in
-- DECISIONLOG.md ("Sunbird UCI"):
--   conversation = the answers of one user (Device ID) in one session (Session ID) of a bot; an
--     answer without a Session ID (older files, or an empty cell) belongs to that user's answers
--     of the same UTC day: macro sunbird_conversation_id. Answers filed in two windows' files (a
--     conversation near midnight) are one conversation, whichever window loaded them.
--   started_at / ended_at = the first / last answer's Timestamp.
--   containment_outcome: contained when an answer has Eof true; abandoned when every answer comes
--     from a file with an Eof column and none is true; NULL when an answer's file had no Eof column
--     (and none is true): the end cannot be told. conversation_status = botHandled / dropOff, the
--     words Genesys's derived status uses for the same meanings; NULL likewise.
--   is_bot_handled = is_automated = contained (a UCI conversation is with the bot alone, and Eof is
--     its flow run to the end); is_failed_escalation, is_informed = false (no such signal).
--   visitor_messages_count = the answers; not_understood_messages_count = the answers with
--     Question Score 0; bot_messages_count NULL (the exhaust holds answers, not the bot's messages).
--   extracted_at = the newest load of the conversation's answers, or of the exhaust window of the
--     day before its start if that is newer: a window loaded late (a retried job) can add an
--     earlier answer and move a conversation to the day before, and the incremental marts must then
--     rebuild the day it left.
with

answers as (

    select
        responses.*,
        {{ sunbird_conversation_id('responses') }} as conversation_id,
        {{ sunbird_session_id('responses') }} as conversation_session_id
    from {{ ref('stg_sunbird__responses') }} as responses

),

ranked_answers as (

    select
        answers.*,
        row_number() over (
            partition by source_instance, bot_id, conversation_id
            order by answered_at desc, response_id desc
        ) as rank_from_last
    from answers

),

summaries as (

    select
        source_system,
        source_instance,
        bot_id,
        conversation_id,
        max(device_id) as device_id,
        max(conversation_session_id) as session_id,
        -- the bot's name as sent with the conversation's last answer
        max(case when rank_from_last = 1 then bot_name end) as bot_name,
        min(answered_at) as started_at,
        max(answered_at) as ended_at,
        max(case when is_eof then 1 else 0 end) = 1 as has_eof_answer,
        -- the end is observable when the last answer's file has an Eof column (DECISIONLOG.md)
        max(case when rank_from_last = 1 and file_has_eof then 1 else 0 end) = 1 as is_eof_known,
        count(*) as answers_count,
        sum(case when question_score = 0 then 1 else 0 end) as not_understood_answers_count,
        count(distinct window_start) as windows_count,
        max(extracted_at) as answers_extracted_at
    from ranked_answers
    group by source_system, source_instance, bot_id, conversation_id

),

previous_day_windows as (

    -- the load of the exhaust window holding the day before the conversation's start day
    select
        summaries.source_instance,
        summaries.bot_id,
        summaries.conversation_id,
        max(windows.extracted_at) as previous_day_window_extracted_at
    from summaries
    inner join {{ ref('stg_sunbird__exhaust_windows') }} as windows
        on summaries.source_instance = windows.source_instance
        and summaries.bot_id = windows.bot_id
        and windows.window_start <= {{ add_days(utc_date('summaries.started_at'), -1) }}
        and windows.window_end > {{ add_days(utc_date('summaries.started_at'), -1) }}
    group by summaries.source_instance, summaries.bot_id, summaries.conversation_id

),

classified as (

    select
        summaries.*,
        case
            when has_eof_answer then 'contained'
            when is_eof_known then 'abandoned'
        end as containment_outcome,
        case
            when previous_day_windows.previous_day_window_extracted_at > summaries.answers_extracted_at
                then previous_day_windows.previous_day_window_extracted_at
            else summaries.answers_extracted_at
        end as newest_extracted_at
    from summaries
    left join previous_day_windows
        on summaries.source_instance = previous_day_windows.source_instance
        and summaries.bot_id = previous_day_windows.bot_id
        and summaries.conversation_id = previous_day_windows.conversation_id

),

final as (

    select
        -- keys
        source_system,
        source_instance,
        bot_id,
        conversation_id,
        device_id,
        session_id,

        -- descriptive (the exhaust has no channel or language)
        bot_name,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as {{ dbt.type_string() }}) as language,

        -- timestamps (UTC): first and last answer
        started_at,
        ended_at,

        -- status, in the shared vocabulary
        cast(null as {{ dbt.type_boolean() }}) as is_test,
        case containment_outcome
            when 'contained' then 'botHandled'
            when 'abandoned' then 'dropOff'
        end as conversation_status,
        cast(null as {{ dbt.type_string() }}) as last_resolution,
        containment_outcome,
        is_eof_known,

        -- vendor flags
        coalesce(containment_outcome = 'contained', false) as is_bot_handled,
        false as is_failed_escalation,
        false as is_informed,
        coalesce(containment_outcome = 'contained', false) as is_automated,

        -- message counts: the user's answers; the bot's messages are not in the exhaust
        cast(answers_count as {{ dbt.type_int() }}) as visitor_messages_count,
        cast(null as {{ dbt.type_int() }}) as bot_messages_count,
        cast(not_understood_answers_count as {{ dbt.type_int() }}) as not_understood_messages_count,
        cast(windows_count as {{ dbt.type_int() }}) as windows_count,

        -- load metadata: its newest answer's load, or the previous day's window's
        newest_extracted_at as extracted_at

    from classified

)

select * from final
