-- The seed's "metrics by first meaningful intent", per (source_system, bot_id,
-- first_meaningful_intent) over all loaded days. Counts the same conversations as
-- agg_bot_daily_metrics (vars include_test_conversations / include_suggestion_engine_conversations);
-- conversations without a meaningful intent are left out, as in the seed. DECISIONLOG.md.
-- Summed from int_first_meaningful_intent_daily (a conversation counts on its start day only), so
-- a daily run reads that small table, not every conversation.
with

daily as (

    select * from {{ ref('int_first_meaningful_intent_daily') }}
    where first_meaningful_intent is not null

),

intent_counts as (

    select
        source_system,
        bot_id,
        first_meaningful_intent,
        sum(total_conversations) as total_conversations,
        sum(bot_handled_conversations) as bot_handled_conversations
    from daily
    group by source_system, bot_id, first_meaningful_intent

),

final as (

    select
        source_system,
        bot_id,
        first_meaningful_intent,
        total_conversations,
        {{ safe_divide('bot_handled_conversations', 'total_conversations') }} as bot_handled_rate
    from intent_counts
    -- an intent whose conversations are all outside the metrics scope is not listed
    where total_conversations > 0

)

select * from final
