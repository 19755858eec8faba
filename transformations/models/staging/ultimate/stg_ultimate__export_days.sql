-- One row per (bot, export day) whose Ultimate daily export Parley has loaded completely.
with

source as (

    select * from {{ source('ultimate', 'raw_ultimate_export_days') }}

),

renamed as (

    select
        'ultimate' as source_system,
        bot_id,
        export_date,
        file_count,
        conversation_count,
        quarantined_count,
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
