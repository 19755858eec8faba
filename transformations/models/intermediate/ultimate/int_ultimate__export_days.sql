-- One row per (bot, export day) Parley has settled for Ultimate, and whether it counts as loaded
-- (DECISIONLOG.md, "Daily metrics"): status loaded, or NULL (rows of Parley 0.1, which recorded
-- loaded days only). A missing day (never served, passed after the grace period) is not loaded;
-- so is any status we do not know yet.
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
        coalesce(status, 'loaded') = 'loaded' as is_loaded,
        -- a conversation is exported on the day it ends: day x can still grow until x+1 is loaded
        false as is_day_final,
        extracted_at
    from export_days

)

select * from classified
