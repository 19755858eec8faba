-- One row per (bot, UTC day) that a Kore.ai window read touches, in the shared export-day shape, and
-- whether the day is loaded (DECISIONLOG.md, "Kore.ai", loaded days). getSessions and getAnalytics
-- are read in windows (window_hours long, on the start_date midnight grid by default, any length
-- under 168 h); a day is loaded when, in BOTH raw_kore_session_windows and raw_kore_intent_windows,
--   every window overlapping the day is settled (read lookback_hours after its end: final), and
--   the windows overlapping it cover the whole day, [00:00, 24:00) UTC, with no gap.
-- Coverage is computed from the windows' bounds (overlaps, not a count of 24 h windows), so
-- windows of any length, windows not aligned to midnight, and overlapping windows of different
-- lengths (window_hours changed between syncs) all count correctly. A day some window touches but
-- that is not loaded has a row with is_loaded false (no row in the daily metrics of its own).
-- extracted_at: the newest load among the windows touching the day, so a window settling later
-- rebuilds the day (and the day before it) in the incremental marts.
with

windows as (

    select 'sessions' as window_kind, source_system, source_instance, bot_id, window_start, window_end, is_settled, extracted_at
    from {{ ref('stg_kore__session_windows') }}
    union all
    select 'intents' as window_kind, source_system, source_instance, bot_id, window_start, window_end, is_settled, extracted_at
    from {{ ref('stg_kore__intent_windows') }}

),

day_offsets as (

    -- a window shorter than 168 h touches at most 8 UTC days: its start day and the 7 after it
    select 0 as day_offset
    union all select 1
    union all select 2
    union all select 3
    union all select 4
    union all select 5
    union all select 6
    union all select 7

),

window_days as (

    -- each window once per UTC day it overlaps
    select
        windows.window_kind,
        windows.source_system,
        windows.source_instance,
        windows.bot_id,
        {{ add_days(utc_date('windows.window_start'), 'day_offsets.day_offset') }} as export_date,
        windows.window_start,
        windows.window_end,
        windows.is_settled,
        windows.extracted_at
    from windows
    cross join day_offsets
    where windows.window_end > windows.window_start
        and {{ utc_midnight(add_days(utc_date('windows.window_start'), 'day_offsets.day_offset')) }} < windows.window_end

),

window_starts as (

    -- per window and day: the day's bounds, and whether a window of the same kind that starts
    -- earlier reaches this one's start (no gap before it). A self-join rather than a running max
    -- over a frame: the BigQuery emulator computes ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    -- wrongly.
    select
        window_days.window_kind,
        window_days.source_system,
        window_days.source_instance,
        window_days.bot_id,
        window_days.export_date,
        window_days.window_start,
        window_days.window_end,
        window_days.is_settled,
        window_days.extracted_at,
        max(case when earlier.window_start is not null then 1 else 0 end) = 1 as is_start_covered
    from window_days
    left join window_days as earlier
        on window_days.window_kind = earlier.window_kind
        and window_days.source_instance = earlier.source_instance
        and window_days.bot_id = earlier.bot_id
        and window_days.export_date = earlier.export_date
        and earlier.window_start < window_days.window_start
        and earlier.window_end >= window_days.window_start
    group by
        window_days.window_kind,
        window_days.source_system,
        window_days.source_instance,
        window_days.bot_id,
        window_days.export_date,
        window_days.window_start,
        window_days.window_end,
        window_days.is_settled,
        window_days.extracted_at

),

kind_days as (

    -- per kind and day: all settled, and covered from the day's start to its end without a gap:
    -- every window that starts after midnight is reached by an earlier one (so the earliest starts
    -- by midnight, and no stretch between them is unread), and one reaches the day's end
    select
        window_kind,
        source_system,
        source_instance,
        bot_id,
        export_date,
        min(case when is_settled then 1 else 0 end) = 1 as is_settled,
        max(case
            when window_start > {{ utc_midnight('export_date') }} and not is_start_covered then 1
            else 0
        end) = 0
            and max(case when window_end >= {{ utc_midnight(add_days('export_date', 1)) }} then 1 else 0 end) = 1
            as is_covered,
        max(extracted_at) as extracted_at
    from window_starts
    group by window_kind, source_system, source_instance, bot_id, export_date

),

days as (

    select
        source_system,
        source_instance,
        bot_id,
        export_date,
        max(case when window_kind = 'sessions' and is_settled and is_covered then 1 else 0 end) = 1
            as is_sessions_settled,
        max(case when window_kind = 'intents' and is_settled and is_covered then 1 else 0 end) = 1
            as is_intents_settled,
        max(extracted_at) as extracted_at
    from kind_days
    group by source_system, source_instance, bot_id, export_date

),

final as (

    select
        source_system,
        source_instance,
        bot_id,
        export_date,
        is_sessions_settled,
        is_intents_settled,
        is_sessions_settled and is_intents_settled as is_loaded,
        -- settled windows are final: the day is complete without waiting for the next one
        true as is_day_final,
        extracted_at
    from days

)

select * from final
