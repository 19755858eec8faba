-- One row per (bot, export day) Parley has settled for Ultimate, in the shared export-day shape.
with

export_days as (

    select * from {{ ref('stg_ultimate__export_days') }}

),

classified as (

    select
        source_system,
        source_instance,
        bot_id,
        export_date,
        status,
        extracted_at
    from export_days

)

select * from classified
