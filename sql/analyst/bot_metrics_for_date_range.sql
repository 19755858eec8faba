-- Bot metrics over a date range: the vendor's "Popular Metrics" (seed 002) per bot, for the
-- conversations that started (UTC date) between first_day and last_day, inclusive.
--
-- Over: fct_conversations (the metrics) and agg_bot_daily_metrics (completeness of the days).
-- Rates are recomputed from the conversations, not averaged from daily rates, so they are exact
-- for the whole range. Definitions: transformations/DECISIONLOG.md. Like the marts' defaults,
-- test_mode and suggestion-engine (bot_messages_count = 0) conversations are left out: drop those
-- two conditions in counted_conversations to count them.
-- incomplete_days > 0 means some day in the range still waits for its next day's export: its
-- numbers can still grow.
--
-- Portable SQL (DuckDB, BigQuery). Set the two dates in report_period. On BigQuery qualify the
-- tables with their dataset (`my_dataset.fct_conversations`) or run with a default dataset.
with

report_period as (

    select
        cast('2026-11-01' as date) as first_day,
        cast('2026-11-30' as date) as last_day

),

counted_conversations as (

    select conversations.*
    from fct_conversations as conversations
    cross join report_period
    where cast(conversations.started_at as date) between report_period.first_day and report_period.last_day
        and coalesce(conversations.is_test, false) = false
        and coalesce(conversations.bot_messages_count, -1) <> 0

),

bot_metrics as (

    select
        source_system,
        bot_id,
        count(distinct conversation_id) as total_conversations,
        count(distinct case when conversation_status = 'botHandled' then conversation_id end)
            as bot_handled_conversations,
        1.0 * count(distinct case when conversation_status = 'botHandled' then conversation_id end)
            / nullif(count(distinct conversation_id), 0) as bot_handled_rate,
        -- contained = Ultimate status not in (email, agent, customEscalation); null status is neither
        1.0 * count(distinct case when containment_outcome = 'contained' then conversation_id end)
            / nullif(count(distinct conversation_id), 0) as deflection_rate,
        1.0 * count(distinct case when containment_outcome = 'escalated' then conversation_id end)
            / nullif(count(distinct conversation_id), 0) as escalation_rate,
        1.0 * count(distinct case when conversation_status = 'failedEscalation' then conversation_id end)
            / nullif(count(distinct conversation_id), 0) as failed_escalation_rate,
        1.0 * count(distinct case when last_resolution = 'informed' then conversation_id end)
            / nullif(count(distinct conversation_id), 0) as informed_rate,
        1.0 * count(distinct case when last_resolution in ('informed', 'resolved') then conversation_id end)
            / nullif(count(distinct conversation_id), 0) as automation_rate,
        1.0 * (sum(visitor_messages_count) - sum(not_understood_messages_count))
            / nullif(sum(visitor_messages_count), 0) as messages_understood_rate
    from counted_conversations
    group by source_system, bot_id

),

period_completeness as (

    select
        daily.source_system,
        daily.bot_id,
        sum(case when daily.is_complete then 0 else 1 end) as incomplete_days,
        max(case when daily.is_complete then daily.conversation_date end) as latest_complete_day
    from agg_bot_daily_metrics as daily
    cross join report_period
    where daily.conversation_date between report_period.first_day and report_period.last_day
    group by daily.source_system, daily.bot_id

)

select
    bot_metrics.*,
    period_completeness.incomplete_days,
    period_completeness.latest_complete_day
from bot_metrics
left join period_completeness
    on bot_metrics.source_system = period_completeness.source_system
    and bot_metrics.bot_id = period_completeness.bot_id
order by bot_metrics.source_system, bot_metrics.bot_id
