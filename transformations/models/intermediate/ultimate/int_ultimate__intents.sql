-- One row per triggered intent of an Ultimate conversation, in the shared intent shape. Meaningful
-- (DECISIONLOG.md, "Intents"): as in the seed's `not_meaningful is false`, only an explicit false
-- of the vendor's flag makes an intent meaningful; a missing flag does not.
with

intent_replies as (

    select * from {{ ref('stg_ultimate__intent_replies') }}

),

classified as (

    select
        source_system,
        source_instance,
        bot_id,
        conversation_id,
        started_at,
        intent_position,
        intent_id,
        intent_name,
        intent_at,
        coalesce(is_not_meaningful = false, false) as is_meaningful
    from intent_replies

)

select * from classified
