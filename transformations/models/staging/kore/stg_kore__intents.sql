-- One row per Kore.ai intent event (raw_kore_intents: getAnalytics successintent and failintent
-- rows), renamed and typed: event_kind success = an intent the bot recognised (intent_name), fail =
-- an utterance it did not understand. Which rows become Parley's intents, and of which sessions, is
-- decided in int_kore__intents; fail rows are counted in int_kore__conversations.
with

source as (

    select * from {{ source('kore', 'raw_kore_intents') }}

),

renamed as (

    select
        'kore' as source_system,
        source_instance,
        bot_id,
        session_id as conversation_id,
        event_id,
        kind as event_kind,
        intent as intent_name,
        occurred_at,
        message_id,
        channel,
        language,
        user_id,
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
