-- Conversation counts agree across layers, per (source_system, bot_id):
--   vendor staging models = fct_conversations;
--   fct_conversations in metrics scope (with a start time) = sum of agg_bot_daily_metrics.total_conversations;
--   ... of those with a first meaningful intent = sum of agg_first_meaningful_intent_metrics.total_conversations.
-- Returns the bots where any pair disagrees. The vendors' staging models: stg_<vendor>__conversations
-- of each vendor in var `vendors`.
with

staging_counts as (
    {%- for relation in vendor_refs('stg', 'conversations') %}

    select source_system, bot_id, count(*) as conversations
    from {{ relation }}
    group by source_system, bot_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

mart_counts as (

    select
        source_system,
        bot_id,
        count(*) as conversations,
        sum(case when {{ in_metrics_scope() }} and started_at is not null then 1 else 0 end)
            as conversations_in_daily_metrics,
        sum(case when {{ in_metrics_scope() }} and first_meaningful_intent is not null then 1 else 0 end)
            as conversations_in_intent_metrics
    from {{ ref('fct_conversations') }}
    group by source_system, bot_id

),

daily_metric_counts as (

    select source_system, bot_id, sum(total_conversations) as conversations
    from {{ ref('agg_bot_daily_metrics') }}
    group by source_system, bot_id

),

intent_metric_counts as (

    select source_system, bot_id, sum(total_conversations) as conversations
    from {{ ref('agg_first_meaningful_intent_metrics') }}
    group by source_system, bot_id

),

bots as (

    select source_system, bot_id from staging_counts
    union all
    select source_system, bot_id from mart_counts
    union all
    select source_system, bot_id from daily_metric_counts
    union all
    select source_system, bot_id from intent_metric_counts

),

compared as (

    select
        bots.source_system,
        bots.bot_id,
        coalesce(max(staging_counts.conversations), 0) as staging_conversations,
        coalesce(max(mart_counts.conversations), 0) as mart_conversations,
        coalesce(max(mart_counts.conversations_in_daily_metrics), 0) as mart_conversations_in_daily_metrics,
        coalesce(max(daily_metric_counts.conversations), 0) as daily_metrics_conversations,
        coalesce(max(mart_counts.conversations_in_intent_metrics), 0) as mart_conversations_in_intent_metrics,
        coalesce(max(intent_metric_counts.conversations), 0) as intent_metrics_conversations
    from bots
    left join staging_counts
        on bots.source_system = staging_counts.source_system and bots.bot_id = staging_counts.bot_id
    left join mart_counts
        on bots.source_system = mart_counts.source_system and bots.bot_id = mart_counts.bot_id
    left join daily_metric_counts
        on bots.source_system = daily_metric_counts.source_system and bots.bot_id = daily_metric_counts.bot_id
    left join intent_metric_counts
        on bots.source_system = intent_metric_counts.source_system and bots.bot_id = intent_metric_counts.bot_id
    group by bots.source_system, bots.bot_id

)

select *
from compared
where staging_conversations <> mart_conversations
    or mart_conversations_in_daily_metrics <> daily_metrics_conversations
    or mart_conversations_in_intent_metrics <> intent_metrics_conversations
