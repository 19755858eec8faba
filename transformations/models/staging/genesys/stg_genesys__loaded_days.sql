-- One row per (source instance, UTC day) whose Genesys conversations have all been requested: the
-- data-availability watermark passed the day's end. Which bots the day counts for is decided in
-- int_genesys__export_days.
with

source as (

    select * from {{ source('genesys', 'raw_genesys_loaded_days') }}

),

renamed as (

    select
        'genesys' as source_system,
        source_instance,
        day as loaded_date,
        loaded_through,
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
