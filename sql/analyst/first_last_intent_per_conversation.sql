-- First and last intent of each conversation (seed 002, "First / Last Intent from a conversation"),
-- plus the first meaningful one, for conversations that started (UTC) in a date range.
--
-- Over: fct_conversations. Unlike the seed (array element 0 and the reversed array's element 0),
-- first and last are by intent timestamp, ties broken by array position; a conversation without
-- intents shows nulls. Definitions: transformations/DECISIONLOG.md. Every conversation is listed,
-- test ones included (is_test tells them apart).
--
-- Portable SQL (DuckDB, BigQuery). Set the two dates in report_period. On BigQuery qualify the
-- table with its dataset (`my_dataset.fct_conversations`) or run with a default dataset.
with

report_period as (

    select
        cast('2026-11-01' as date) as first_day,
        cast('2026-11-30' as date) as last_day

)

select
    conversations.source_system,
    conversations.bot_id,
    conversations.conversation_id,
    conversations.started_at,
    conversations.is_test,
    conversations.first_intent,
    conversations.last_intent,
    conversations.first_meaningful_intent
from fct_conversations as conversations
cross join report_period
where cast(conversations.started_at as date) between report_period.first_day and report_period.last_day
order by conversations.source_system, conversations.bot_id, conversations.started_at, conversations.conversation_id
