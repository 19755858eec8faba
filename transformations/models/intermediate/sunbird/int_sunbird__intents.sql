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

ordered as (

    select
        source_system,
        source_instance,
        bot_id,
        conversation_id,
        -- the conversation's start: incremental marts select intents by the conversation's day
        min(answered_at) over (
            partition by source_instance, bot_id, conversation_id
        ) as started_at,
        cast(row_number() over (
            partition by source_instance, bot_id, conversation_id
            order by answered_at asc, response_id asc
        ) - 1 as {{ dbt.type_int() }}) as intent_position,
        question_id as intent_id,
        case when trim(question_title) <> '' then question_title end as intent_name,
        answered_at as intent_at,
        true as is_meaningful,
        response_id,
        question_score,
        extracted_at
    from answers

)

select * from ordered
