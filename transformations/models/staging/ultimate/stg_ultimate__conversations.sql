-- One row per Ultimate conversation, renamed to Parley's vocabulary and typed; the vendor's status
-- words as delivered. What they mean for the marts (containment, bot-handled, ...) is decided in
-- int_ultimate__conversations.
with

source as (

    select * from {{ source('ultimate', 'raw_ultimate_conversations') }}

),

renamed as (

    select
        -- keys
        'ultimate' as source_system,
        source_instance,
        bot_id,
        conversation_id,
        platform_conversation_id,

        -- the export file (day it ended, UTC) that delivered this version
        export_date,

        -- descriptive
        bot_name,
        channel,
        language,

        -- timestamps (UTC)
        conversation_start_time as started_at,
        conversation_end_time as ended_at,

        -- status, as delivered
        test_mode as is_test,
        is_llm_conversation,
        conversation_status,
        last_resolution,

        -- message counts
        bot_messages_count,
        visitor_messages_count,
        not_understood_messages_count,

        -- load metadata
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
