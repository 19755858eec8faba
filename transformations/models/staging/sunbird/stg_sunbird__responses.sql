-- One row per Sunbird UCI response exhaust row (raw_sunbird_responses): one answer of a user to one
-- question of the bot, renamed to Parley's vocabulary and typed. The bot's name (Conversation Name)
-- becomes bot_name: a Sunbird "conversation" is the bot, Parley's conversation is one user's
-- session with it. Which answers form a conversation (Device ID + Session ID, or Device ID + UTC
-- day without a session), containment from Eof and the message counts are decided in
-- int_sunbird__conversations (DECISIONLOG.md, "Sunbird UCI").
with

source as (

    select * from {{ source('sunbird', 'raw_sunbird_responses') }}

),

renamed as (

    select
        -- keys
        'sunbird' as source_system,
        source_instance,
        bot_id,
        response_id,
        message_id,
        device_id,
        session_id,

        -- descriptive
        conversation_name as bot_name,
        question_id,
        question_type,
        question_title,
        question_description,
        x_path,

        -- the answer, as delivered (JSON: the cell's JSON, or its text as a JSON string)
        question_options,
        question_response,
        consent_withheld as is_consent_withheld,

        -- scores and duration, as delivered (score 0 = the answer was not understood)
        question_duration as question_duration_seconds,
        question_score,
        question_max_score,

        -- end of the flow: NULL on rows of files without an Eof column (file_has_eof false)
        eof as is_eof,
        file_has_eof,

        -- timestamps (UTC)
        answered_at,
        ingested_at,

        -- the exhaust window whose file held the row (files are by ingestion day)
        window_start,

        -- load metadata
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
