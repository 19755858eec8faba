-- The days agg_bot_daily_metrics has a row for, one per (source_system, bot_id, conversation_date),
-- and whether each is complete (DECISIONLOG.md, "Daily metrics"):
--   which days: every day with a conversation of the bot (counted or not; by UTC start date) and
--     every loaded day of the bot. A day recorded missing makes no row of its own.
--   is_complete: the days x and x+1 are both loaded for the bot, and x is not before its first
--     loaded day; otherwise false, never NULL. A loaded day that is final on its own (is_day_final:
--     Kore's settled windows) needs no x+1. Only loaded days count (is_loaded: a missing export
--     is not loaded), and only the bot's own (one vendor's, one bot's) days.
--   loaded_at: the newest load among what the row depends on (the day's conversations, the settled
--     days x and x+1, loaded or not): agg_bot_daily_metrics rebuilds the days whose loaded_at is new,
--     so any change that can change a row must show here.
-- Incremental by conversation_date (macros/incremental_days.sql): a run rebuilds the days of
-- conversations loaded since its previous run, and days x and x-1 of each newly settled day x.
-- The pre-hook deletes every row of the rebuilt days first, even a bot's that has none left there
-- (the same changes as days_to_rebuild below; macros/incremental_days.sql).
{{ config(
    materialized='incremental',
    incremental_strategy=day_partitioned_incremental_strategy(),
    unique_key=['source_system', 'bot_id', 'conversation_date'],
    partition_by={'field': 'conversation_date', 'data_type': 'date', 'granularity': 'day'},
    cluster_by=['source_system', 'bot_id'],
    on_schema_change='fail',
    pre_hook="{{ delete_rebuilt_days([{'relation': ref('fct_conversations'), 'day': utc_date('started_at'), 'loaded_at': 'loaded_at'}, {'relation': ref('int_export_days_unioned'), 'day': 'export_date', 'loaded_at': 'extracted_at'}, {'relation': ref('int_export_days_unioned'), 'day': add_days('export_date', -1), 'loaded_at': 'extracted_at'}], 'conversation_date') }}",
) }}

{%- set days = days_to_rebuild([
    {'relation': ref('fct_conversations'), 'day': utc_date('started_at'), 'loaded_at': 'loaded_at'},
    {'relation': ref('int_export_days_unioned'), 'day': 'export_date', 'loaded_at': 'extracted_at'},
    {'relation': ref('int_export_days_unioned'), 'day': add_days('export_date', -1), 'loaded_at': 'extracted_at'},
]) %}

with

conversation_days as (

    -- a conversation without a start time belongs to no day
    select
        source_system,
        bot_id,
        {{ utc_date('started_at') }} as conversation_date,
        max(loaded_at) as loaded_at
    from {{ ref('fct_conversations') }}
    where started_at is not null
        and {{ within_days('started_at', days) }}
    group by source_system, bot_id, {{ utc_date('started_at') }}

),

settled_days as (

    -- every settled day (a small table): completeness looks at the next day and the first day. A
    -- bot id that several source instances share is one bot here, as in the marts.
    select
        source_system,
        bot_id,
        export_date,
        max(case when is_loaded then 1 else 0 end) = 1 as is_loaded,
        max(case when is_loaded and coalesce(is_day_final, false) then 1 else 0 end) = 1 as is_day_final,
        max(extracted_at) as loaded_at
    from {{ ref('int_export_days_unioned') }}
    group by source_system, bot_id, export_date

),

loaded_days as (

    -- only loaded days complete a day or make a row of their own (a missing export is not loaded)
    select source_system, bot_id, export_date, is_day_final
    from settled_days
    where is_loaded

),

first_loaded_days as (

    select source_system, bot_id, min(export_date) as first_export_date
    from loaded_days
    group by source_system, bot_id

),

bot_days as (

    select source_system, bot_id, conversation_date
    from conversation_days
    union all
    select source_system, bot_id, export_date as conversation_date
    from loaded_days
    where {{ within_days('export_date', days, 'date') }}

),

distinct_bot_days as (

    select source_system, bot_id, conversation_date
    from bot_days
    group by source_system, bot_id, conversation_date

),

day_loads as (

    select source_system, bot_id, conversation_date, max(loaded_at) as loaded_at
    from (
        select source_system, bot_id, conversation_date, loaded_at from conversation_days
        union all
        select source_system, bot_id, export_date as conversation_date, loaded_at from settled_days
        union all
        select source_system, bot_id, {{ add_days('export_date', -1) }} as conversation_date, loaded_at
        from settled_days
    ) as loads
    group by source_system, bot_id, conversation_date

),

completeness as (

    -- x >= the first loaded day follows from x being loaded; it is spelled out so the rule reads as
    -- in DECISIONLOG.md
    select
        distinct_bot_days.source_system,
        distinct_bot_days.bot_id,
        distinct_bot_days.conversation_date,
        loaded_day.export_date is not null as is_loaded,
        loaded_next_day.export_date is not null as is_next_day_loaded,
        case
            when loaded_day.export_date is not null
                and (loaded_day.is_day_final or loaded_next_day.export_date is not null)
                and distinct_bot_days.conversation_date >= first_loaded_days.first_export_date
                then true
            else false
        end as is_complete
    from distinct_bot_days
    left join loaded_days as loaded_day
        on distinct_bot_days.source_system = loaded_day.source_system
        and distinct_bot_days.bot_id = loaded_day.bot_id
        and distinct_bot_days.conversation_date = loaded_day.export_date
    left join loaded_days as loaded_next_day
        on distinct_bot_days.source_system = loaded_next_day.source_system
        and distinct_bot_days.bot_id = loaded_next_day.bot_id
        and {{ add_days('distinct_bot_days.conversation_date', 1) }} = loaded_next_day.export_date
    left join first_loaded_days
        on distinct_bot_days.source_system = first_loaded_days.source_system
        and distinct_bot_days.bot_id = first_loaded_days.bot_id

),

final as (

    select
        completeness.source_system,
        completeness.bot_id,
        completeness.conversation_date,
        completeness.is_loaded,
        completeness.is_next_day_loaded,
        completeness.is_complete,
        day_loads.loaded_at
    from completeness
    left join day_loads
        on completeness.source_system = day_loads.source_system
        and completeness.bot_id = day_loads.bot_id
        and completeness.conversation_date = day_loads.conversation_date

)

select * from final
