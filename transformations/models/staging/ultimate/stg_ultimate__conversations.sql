-- One row per Ultimate conversation, renamed to Parley's vocabulary, plus its containment outcome.
with

source as (

    select * from {{ source('ultimate', 'raw_ultimate_conversations') }}

),

renamed as (

    select
        -- keys
        'ultimate' as source_system,
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

        -- status
        test_mode as is_test,
        is_llm_conversation,
        conversation_status,
        last_resolution,

        -- Ultimate's containment mapping (DECISIONLOG.md, "containment_outcome"): the seed's
        -- escalation statuses are escalated, any other known status is contained (the seed's
        -- deflection); no status, no signal. Each vendor maps its own signal in its staging model.
        case
            when conversation_status is null then null
            when conversation_status in ('email', 'agent', 'customEscalation') then 'escalated'
            else 'contained'
        end as containment_outcome,

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
