-- One row per (bot, export day) Parley has settled: loaded completely (status loaded), or recorded
-- missing after the grace period (status missing; NULL in rows of Parley 0.1, which wrote loaded
-- days only). Which of them count as loaded is decided in int_ultimate__export_days.
with

source as (

    select * from {{ source('ultimate', 'raw_ultimate_export_days') }}

),

renamed as (

    select
        'ultimate' as source_system,
        source_instance,
        bot_id,
        export_date,
        status,
        reason,
        file_count,
        conversation_count,
        quarantined_count,
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
