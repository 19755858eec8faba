-- One row per (bot, UTC day) whose Genesys conversations have all been requested. Genesys jobs cover
-- the whole org, so a loaded day is loaded for every bot (bot flow, or first flow without a bot)
-- Parley has seen: a quiet bot's day then reads "no conversations", not "no data".
with

loaded_days as (

    select day, loaded_through, _extracted_at, _sync_id
    from {{ source('genesys', 'raw_genesys_loaded_days') }}

),

bots as (

    -- first_seen_at: a bot seen for the first time makes its past loaded days new rows, so they
    -- count as loaded then (incremental marts rebuild them)
    select {{ genesys_bot_id() }} as bot_id, min(_extracted_at) as first_seen_at
    from {{ source('genesys', 'raw_genesys_conversations') }}
    group by {{ genesys_bot_id() }}

),

renamed as (

    select
        'genesys' as source_system,
        bots.bot_id,
        loaded_days.day as export_date,
        loaded_days.loaded_through,
        greatest(loaded_days._extracted_at, bots.first_seen_at) as extracted_at,
        loaded_days._sync_id as sync_id
    from loaded_days
    cross join bots

)

select * from renamed
