-- One row per (bot, window) of Sunbird UCI response exhaust windows the connector loaded whole
-- (raw_sunbird_exhaust_windows): status loaded (a SUCCESS job whose files were all read) or empty
-- (the vendor's "No data found"). Which days they complete is decided in int_sunbird__export_days.
with

source as (

    select * from {{ source('sunbird', 'raw_sunbird_exhaust_windows') }}

),

renamed as (

    select
        'sunbird' as source_system,
        source_instance,
        bot_id,
        window_start,
        window_end,
        status,
        request_id,
        tag,
        attempts,
        file_count,
        record_count,
        quarantined_count,
        submitted_at,
        completed_at,
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
