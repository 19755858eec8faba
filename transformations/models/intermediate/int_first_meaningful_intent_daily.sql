-- Conversations per (source_system, bot_id, conversation_date, first_meaningful_intent), the
-- building block of agg_first_meaningful_intent_metrics: that mart spans all days, so it is summed
-- from this small day-partitioned table instead of re-reading every conversation on each run.
-- A conversation starts on one day only, so the sum over days of distinct conversations per day
-- is the distinct count over all days. Every conversation with a start time is grouped here (a
-- null first_meaningful_intent is a group too) and the counted ones are counted, so each rebuilt
-- day keeps at least one row and an incremental run replaces every row of the days it rebuilds.
-- The pre-hook deletes every row of the rebuilt days first, even a bot's that has none left there
-- (the same changes as days_to_rebuild below; macros/incremental_days.sql).
{{ config(
    materialized='incremental',
    incremental_strategy=day_partitioned_incremental_strategy(),
    unique_key=['source_system', 'bot_id', 'conversation_date'],
    partition_by={'field': 'conversation_date', 'data_type': 'date', 'granularity': 'day'},
    cluster_by=['source_system', 'bot_id'],
    on_schema_change='fail',
    pre_hook="{{ delete_rebuilt_days([{'relation': ref('fct_conversations'), 'day': utc_date('started_at'), 'loaded_at': 'loaded_at'}], 'conversation_date') }}",
) }}

{%- set days = days_to_rebuild([
    {'relation': ref('fct_conversations'), 'day': utc_date('started_at'), 'loaded_at': 'loaded_at'},
]) %}

with

conversations as (

    select
        source_system,
        bot_id,
        conversation_id,
        {{ utc_date('started_at') }} as conversation_date,
        first_meaningful_intent,
        is_bot_handled,
        {{ in_metrics_scope() }} as is_counted,
        loaded_at
    from {{ ref('fct_conversations') }}
    where started_at is not null
        and {{ within_days('started_at', days) }}

),

daily as (

    select
        source_system,
        bot_id,
        conversation_date,
        first_meaningful_intent,
        count(distinct case when is_counted then conversation_id end) as total_conversations,
        count(distinct case when is_counted and is_bot_handled then conversation_id end)
            as bot_handled_conversations,
        max(loaded_at) as loaded_at
    from conversations
    group by source_system, bot_id, conversation_date, first_meaningful_intent

)

select * from daily
