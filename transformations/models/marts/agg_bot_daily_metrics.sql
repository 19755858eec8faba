-- Daily bot metrics, the vendor's "Popular Metrics" per (source_system, bot_id, conversation_date),
-- conversation_date = UTC date the conversation started. Rates are fractions 0..1, null when their
-- denominator is 0. Numerators are the vendor-neutral flags each vendor's intermediate model sets
-- (is_bot_handled, containment_outcome, is_failed_escalation, is_informed, is_automated). Days: every day with a conversation (counted or not) or a loaded export, so a
-- day with nothing to count is a row of zeros rather than a gap. Definitions: DECISIONLOG.md.
-- Incremental by conversation_date (macros/incremental_days.sql): a run rebuilds the days of
-- conversations loaded since its previous run, and days x and x-1 of each newly loaded export x
-- (x's export completes day x-1).
{{ config(
    materialized='incremental',
    incremental_strategy=day_partitioned_incremental_strategy(),
    unique_key=['source_system', 'bot_id', 'conversation_date'],
    on_schema_change='fail',
) }}

{%- set days = days_to_rebuild([
    {'relation': ref('fct_conversations'), 'day': utc_date('started_at'), 'loaded_at': 'loaded_at'},
    {'relation': ref('int_export_days_unioned'), 'day': 'export_date', 'loaded_at': 'extracted_at'},
    {'relation': ref('int_export_days_unioned'), 'day': add_days('export_date', -1), 'loaded_at': 'extracted_at'},
]) %}

with

conversations as (

    select
        source_system,
        bot_id,
        conversation_id,
        {{ utc_date('started_at') }} as conversation_date,
        is_test,
        bot_messages_count,
        visitor_messages_count,
        not_understood_messages_count,
        containment_outcome,
        is_bot_handled,
        is_failed_escalation,
        is_informed,
        is_automated,
        loaded_at
    from {{ ref('fct_conversations') }}
    -- a conversation without a start time belongs to no day
    where started_at is not null
        and {{ within_days('started_at', days) }}

),

counted_conversations as (

    select * from conversations
    where {{ in_metrics_scope() }}

),

loaded_export_days as (

    -- every loaded day (a small table): completeness looks at the next day and the first day
    select source_system, bot_id, export_date, max(extracted_at) as loaded_at
    from {{ ref('int_export_days_unioned') }}
    group by source_system, bot_id, export_date

),

first_loaded_export_days as (

    select source_system, bot_id, min(export_date) as first_export_date
    from loaded_export_days
    group by source_system, bot_id

),

bot_days as (

    select source_system, bot_id, conversation_date
    from conversations
    union all
    select source_system, bot_id, export_date as conversation_date
    from loaded_export_days
    where {{ within_days('export_date', days, 'date') }}

),

distinct_bot_days as (

    select source_system, bot_id, conversation_date
    from bot_days
    group by source_system, bot_id, conversation_date

),

daily_counts as (

    select
        source_system,
        bot_id,
        conversation_date,
        count(distinct conversation_id) as total_conversations,
        count(distinct case when is_bot_handled then conversation_id end) as bot_handled_conversations,
        -- a null containment_outcome is neither deflected nor escalated (the seed's NOT IN / IN on NULL)
        count(distinct case when containment_outcome = 'contained' then conversation_id end)
            as deflected_conversations,
        count(distinct case when containment_outcome = 'escalated' then conversation_id end)
            as escalated_conversations,
        count(distinct case when is_failed_escalation then conversation_id end)
            as failed_escalation_conversations,
        count(distinct case when is_informed then conversation_id end) as informed_conversations,
        count(distinct case when is_automated then conversation_id end) as automated_conversations,
        sum(visitor_messages_count) as visitor_messages,
        sum(not_understood_messages_count) as not_understood_messages
    from counted_conversations
    group by source_system, bot_id, conversation_date

),

day_loads as (

    -- newest load among what a day's row is built from (its conversations, counted or not, and the
    -- exports of the day and the next day): the incremental watermark
    select source_system, bot_id, conversation_date, max(loaded_at) as loaded_at
    from (
        select source_system, bot_id, conversation_date, loaded_at from conversations
        union all
        select source_system, bot_id, export_date as conversation_date, loaded_at from loaded_export_days
        union all
        select source_system, bot_id, {{ add_days('export_date', -1) }} as conversation_date, loaded_at
        from loaded_export_days
    ) as loads
    group by source_system, bot_id, conversation_date

),

completeness as (

    -- Day x is complete once the exports of x and x+1 are both loaded (a conversation is exported
    -- on the day it ends, and ends by x+1). x >= the first loaded export day follows from x being
    -- loaded; it is spelled out so the rule reads as in DECISIONLOG.md.
    select
        distinct_bot_days.source_system,
        distinct_bot_days.bot_id,
        distinct_bot_days.conversation_date,
        case
            when export_of_day.export_date is not null
                and export_of_next_day.export_date is not null
                and distinct_bot_days.conversation_date >= first_loaded_export_days.first_export_date
                then true
            else false
        end as is_complete
    from distinct_bot_days
    left join loaded_export_days as export_of_day
        on distinct_bot_days.source_system = export_of_day.source_system
        and distinct_bot_days.bot_id = export_of_day.bot_id
        and distinct_bot_days.conversation_date = export_of_day.export_date
    left join loaded_export_days as export_of_next_day
        on distinct_bot_days.source_system = export_of_next_day.source_system
        and distinct_bot_days.bot_id = export_of_next_day.bot_id
        and {{ add_days('distinct_bot_days.conversation_date', 1) }} = export_of_next_day.export_date
    left join first_loaded_export_days
        on distinct_bot_days.source_system = first_loaded_export_days.source_system
        and distinct_bot_days.bot_id = first_loaded_export_days.bot_id

),

final as (

    select
        completeness.source_system,
        completeness.bot_id,
        completeness.conversation_date,
        coalesce(daily_counts.total_conversations, 0) as total_conversations,
        coalesce(daily_counts.bot_handled_conversations, 0) as bot_handled_conversations,
        {{ safe_divide('daily_counts.bot_handled_conversations', 'daily_counts.total_conversations') }}
            as bot_handled_rate,
        {{ safe_divide('daily_counts.deflected_conversations', 'daily_counts.total_conversations') }}
            as deflection_rate,
        {{ safe_divide('daily_counts.escalated_conversations', 'daily_counts.total_conversations') }}
            as escalation_rate,
        {{ safe_divide('daily_counts.failed_escalation_conversations', 'daily_counts.total_conversations') }}
            as failed_escalation_rate,
        {{ safe_divide('daily_counts.informed_conversations', 'daily_counts.total_conversations') }}
            as informed_rate,
        {{ safe_divide('daily_counts.automated_conversations', 'daily_counts.total_conversations') }}
            as automation_rate,
        {{ safe_divide(
            'daily_counts.visitor_messages - daily_counts.not_understood_messages',
            'daily_counts.visitor_messages'
        ) }} as messages_understood_rate,
        completeness.is_complete,
        day_loads.loaded_at
    from completeness
    left join daily_counts
        on completeness.source_system = daily_counts.source_system
        and completeness.bot_id = daily_counts.bot_id
        and completeness.conversation_date = daily_counts.conversation_date
    left join day_loads
        on completeness.source_system = day_loads.source_system
        and completeness.bot_id = day_loads.bot_id
        and completeness.conversation_date = day_loads.conversation_date

)

select * from final
