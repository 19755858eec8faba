-- One row per (bot, UTC day) of a Sunbird UCI response exhaust window the connector loaded whole,
-- in the shared export-day shape (DECISIONLOG.md, "Sunbird UCI", loaded days):
--   a day is loaded when a window covering it (window_start <= day < window_end) has status
--     loaded (its files all read) or empty (the vendor's "No data found"); a window row with any
--     other status makes a row that is not loaded;
--   is_day_final false: answers are filed by the day the vendor ingested them, so answers of day x
--     near midnight are in x+1's file; is_complete (int_bot_days_completeness) needs x and x+1;
--   extracted_at = the newest load of the windows of the day and of the day before: a window
--     loaded late (a retried job) can move a conversation from day x+1 to x (an earlier answer of
--     it), so day x+1 must be rebuilt in the incremental marts then.
-- Windows are window_days long (1 by default); days past a window's 100th are not expanded (they
-- stay not loaded: incomplete, never wrong).
with

windows as (

    select * from {{ ref('stg_sunbird__exhaust_windows') }}

),

digits as (

    select 0 as digit
    union all select 1
    union all select 2
    union all select 3
    union all select 4
    union all select 5
    union all select 6
    union all select 7
    union all select 8
    union all select 9

),

day_offsets as (

    select tens.digit * 10 + units.digit as day_offset
    from digits as tens
    cross join digits as units

),

window_days as (

    -- each window once per day it covers
    select
        windows.source_system,
        windows.source_instance,
        windows.bot_id,
        {{ add_days('windows.window_start', 'day_offsets.day_offset') }} as export_date,
        windows.status,
        windows.extracted_at
    from windows
    cross join day_offsets
    where {{ add_days('windows.window_start', 'day_offsets.day_offset') }} < windows.window_end

),

days as (

    select
        source_system,
        source_instance,
        bot_id,
        export_date,
        max(case when status in ('loaded', 'empty') then 1 else 0 end) = 1 as is_loaded,
        max(extracted_at) as window_extracted_at
    from window_days
    group by source_system, source_instance, bot_id, export_date

),

final as (

    select
        days.source_system,
        days.source_instance,
        days.bot_id,
        days.export_date,
        days.is_loaded,
        -- x+1's file still holds answers of x
        false as is_day_final,
        case
            when previous_day.window_extracted_at > days.window_extracted_at
                then previous_day.window_extracted_at
            else days.window_extracted_at
        end as extracted_at
    from days
    left join days as previous_day
        on days.source_instance = previous_day.source_instance
        and days.bot_id = previous_day.bot_id
        and previous_day.export_date = {{ add_days('days.export_date', -1) }}

)

select * from final
