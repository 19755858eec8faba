-- Daily bot metrics, the vendor's "Popular Metrics" per (source_system, bot_id, conversation_date),
-- conversation_date = UTC date the conversation started. Rates are fractions 0..1, null when their
-- denominator is 0. Numerators are the vendor-neutral flags each vendor's intermediate model sets
-- (is_bot_handled, containment_outcome, is_failed_escalation, is_informed, is_automated); the days,
-- is_complete and loaded_at come from int_bot_days_completeness (a day with nothing to count is a
-- row of zeros rather than a gap). Definitions: DECISIONLOG.md.
-- Incremental by conversation_date (macros/incremental_days.sql): a run rebuilds the days whose
-- int_bot_days_completeness row was loaded since its previous run (new conversations of the day, or
-- a newly loaded day x or x+1).
-- The pre-hook deletes every row of the rebuilt days first, even a bot's that has none left there
-- (the same changes as days_to_rebuild below; macros/incremental_days.sql).
{{ config(
    materialized='incremental',
    incremental_strategy=day_partitioned_incremental_strategy(),
    unique_key=['source_system', 'bot_id', 'conversation_date'],
    on_schema_change='fail',
    pre_hook="{{ delete_rebuilt_days([{'relation': ref('int_bot_days_completeness'), 'day': 'conversation_date', 'loaded_at': 'loaded_at'}], 'conversation_date') }}",
) }}

{%- set days = days_to_rebuild([
    {'relation': ref('int_bot_days_completeness'), 'day': 'conversation_date', 'loaded_at': 'loaded_at'},
]) %}

with

bot_days as (

    select source_system, bot_id, conversation_date, is_complete, loaded_at
    from {{ ref('int_bot_days_completeness') }}
    where {{ within_days('conversation_date', days, 'date') }}

),

counted_conversations as (

    select
        source_system,
        bot_id,
        conversation_id,
        {{ utc_date('started_at') }} as conversation_date,
        containment_outcome,
        is_bot_handled,
        is_failed_escalation,
        is_informed,
        is_automated,
        visitor_messages_count,
        not_understood_messages_count
    from {{ ref('fct_conversations') }}
    -- a conversation without a start time belongs to no day
    where started_at is not null
        and {{ within_days('started_at', days) }}
        and {{ in_metrics_scope() }}

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

final as (

    select
        bot_days.source_system,
        bot_days.bot_id,
        bot_days.conversation_date,
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
        bot_days.is_complete,
        bot_days.loaded_at
    from bot_days
    left join daily_counts
        on bot_days.source_system = daily_counts.source_system
        and bot_days.bot_id = daily_counts.bot_id
        and bot_days.conversation_date = daily_counts.conversation_date

)

select * from final
