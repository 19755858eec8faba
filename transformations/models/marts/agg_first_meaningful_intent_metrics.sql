-- The seed's "metrics by first meaningful intent", per (source_system, bot_id,
-- first_meaningful_intent) over all loaded days. Counts the same conversations as
-- agg_bot_daily_metrics (vars include_test_conversations / include_suggestion_engine_conversations);
-- conversations without a meaningful intent are left out, as in the seed. DECISIONLOG.md.
with

counted_conversations as (

    select * from {{ ref('fct_conversations') }}
    where {{ in_metrics_scope() }}
        and first_meaningful_intent is not null

),

intent_counts as (

    select
        source_system,
        bot_id,
        first_meaningful_intent,
        count(distinct conversation_id) as total_conversations,
        count(distinct case when conversation_status = 'botHandled' then conversation_id end)
            as bot_handled_conversations
    from counted_conversations
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

)

select * from final
