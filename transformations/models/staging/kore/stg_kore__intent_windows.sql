-- One row per (bot, window) of Kore.ai getAnalytics windows (successintent and failintent) the connector read whole
-- (raw_kore_intent_windows), the latest read of it. Which days they complete is decided in
-- int_kore__export_days.
with

source as (

    select * from {{ source('kore', 'raw_kore_intent_windows') }}

),

renamed as (

    select
        'kore' as source_system,
        source_instance,
        bot_id,
        window_start,
        window_end,
        read_at,
        settled as is_settled,
        record_count,
        quarantined_count,
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
