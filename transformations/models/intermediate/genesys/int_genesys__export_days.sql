-- One row per (bot, UTC day) loaded for Genesys, in the shared export-day shape (DECISIONLOG.md,
-- "Genesys Cloud", loaded days). A detail job covers a whole org, so a day loaded for a source
-- instance is loaded for every bot (bot flow, or first flow without a bot) Parley has seen in that
-- instance, and for no other instance's bots: a quiet bot's day then reads "no conversations", not
-- "no data".
with

loaded_days as (

    select * from {{ ref('stg_genesys__loaded_days') }}

),

bots as (

    -- first_seen_at: a bot seen for the first time makes its past loaded days new rows, so they
    -- count as loaded then (incremental marts rebuild them)
    select source_instance, bot_id, min(extracted_at) as first_seen_at
    from {{ ref('stg_genesys__conversations') }}
    group by source_instance, bot_id

),

expanded as (

    select
        loaded_days.source_system,
        loaded_days.source_instance,
        bots.bot_id,
        loaded_days.loaded_date as export_date,
        loaded_days.loaded_through,
        true as is_loaded,
        -- a conversation still active at the day's end is replaced once a later interval has it ended
        false as is_day_final,
        greatest(loaded_days.extracted_at, bots.first_seen_at) as extracted_at
    from loaded_days
    inner join bots
        on loaded_days.source_instance = bots.source_instance

)

select * from expanded
