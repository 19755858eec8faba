-- One row per answer of a Sunbird UCI conversation, in the shared intent shape (DECISIONLOG.md,
-- "Sunbird UCI"): a UCI bot is a flow of questions, and the question a user answered (Question
-- Title) is the intent of that step.
--   conversation_id: macro sunbird_conversation_id, as in int_sunbird__conversations;
--   intent_position = 0-based order by answered_at, ties by response_id, so first / last intent
--     (int_conversation_intents_summarized orders by intent_at, then intent_position) are the
--     Question Title of the first / last answer;
--   intent_name = Question Title (NULL when blank), intent_id = Question Id;
--   every answer is meaningful; var not_meaningful_intent_names applies downstream (the first
--     meaningful intent skips those titles).
with

answers as (

    select
        responses.*,
        {{ sunbird_conversation_id('responses') }} as conversation_id
    from {{ ref('stg_sunbird__responses') }} as responses

),

conversation_starts as (

    -- the conversation's start, grouped and joined back: the BigQuery emulator computes
    -- min() over (partition by ...) wrongly
    select source_instance, bot_id, conversation_id, min(answered_at) as started_at
    from answers
    group by source_instance, bot_id, conversation_id

),

ordered as (

    select
        answers.source_system,
        answers.source_instance,
        answers.bot_id,
        answers.conversation_id,
        -- the conversation's start: incremental marts select intents by the conversation's day
        conversation_starts.started_at,
        cast(row_number() over (
            partition by answers.source_instance, answers.bot_id, answers.conversation_id
            order by answers.answered_at asc, answers.response_id asc
        ) - 1 as {{ dbt.type_int() }}) as intent_position,
        answers.question_id as intent_id,
        case when trim(answers.question_title) <> '' then answers.question_title end as intent_name,
        answers.answered_at as intent_at,
        true as is_meaningful,
        answers.response_id,
        answers.question_score,
        answers.extracted_at
    from answers
    inner join conversation_starts
        on answers.source_instance = conversation_starts.source_instance
        and answers.bot_id = conversation_starts.bot_id
        and answers.conversation_id = conversation_starts.conversation_id

)

select * from ordered
