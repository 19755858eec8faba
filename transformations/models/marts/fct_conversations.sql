-- One row per conversation of every vendor (key source_system + bot_id + conversation_id), with
-- its containment outcome, the vendor-neutral flags the metric marts count (is_bot_handled,
-- is_failed_escalation, is_informed, is_automated: each vendor's intermediate model sets them) and
-- first / last / first meaningful intent. Keeps every conversation, test and suggestion-engine
-- ones included (filter on is_test / bot_messages_count).
-- Incremental by UTC start day (macros/incremental_days.sql): a run rebuilds the days of the
-- conversations loaded since the previous run, all vendors, whole days.
{{ config(
    materialized='incremental',
    incremental_strategy=day_partitioned_incremental_strategy(),
    unique_key=['source_system', 'bot_id', 'conversation_id'],
    on_schema_change='fail',
) }}

{%- set days = days_to_rebuild([
    {'relation': ref('int_conversations_unioned'), 'day': utc_date('started_at'), 'loaded_at': 'extracted_at'},
]) %}

with

conversations as (

    select * from {{ ref('int_conversations_unioned') }}
    where {{ within_days('started_at', days) }}

),

intent_summaries as (

    select * from {{ ref('int_conversation_intents_summarized') }}
    where {{ within_days('started_at', days) }}

),

final as (

    select
        conversations.source_system,
        conversations.bot_id,
        conversations.bot_name,
        conversations.conversation_id,
        conversations.started_at,
        conversations.ended_at,
        conversations.channel,
        conversations.language,
        conversations.is_test,
        conversations.conversation_status,
        conversations.last_resolution,
        conversations.containment_outcome,
        conversations.is_bot_handled,
        conversations.is_failed_escalation,
        conversations.is_informed,
        conversations.is_automated,
        intent_summaries.first_intent,
        intent_summaries.last_intent,
        intent_summaries.first_meaningful_intent,
        conversations.visitor_messages_count,
        conversations.bot_messages_count,
        conversations.not_understood_messages_count,
        -- when Parley loaded this version of the conversation (the incremental watermark)
        conversations.extracted_at as loaded_at
    from conversations
    left join intent_summaries
        on conversations.source_system = intent_summaries.source_system
        and conversations.source_instance = intent_summaries.source_instance
        and conversations.bot_id = intent_summaries.bot_id
        and conversations.conversation_id = intent_summaries.conversation_id

)

select * from final
