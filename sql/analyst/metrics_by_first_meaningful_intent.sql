-- Metrics by first meaningful intent (seed 002, "Metrics by first meaningful (or filtered) intent"):
-- conversations and bot-handled rate per bot and first meaningful intent, most frequent first.
--
-- Over: agg_first_meaningful_intent_metrics (all loaded days). The first meaningful intent is the
-- earliest intent (by timestamp, ties by array position) with not_meaningful false and a name not
-- in the dbt var not_meaningful_intent_names (default 'Greeting', 'Talk to a human/agent');
-- conversations without one are left out, as in the seed; so are test_mode and suggestion-engine
-- conversations by default (dbt vars). Definitions: transformations/DECISIONLOG.md.
-- For one date range, group fct_conversations by first_meaningful_intent the same way
-- (see bot_metrics_for_date_range.sql for the filters).
--
-- Portable SQL (DuckDB, BigQuery). On BigQuery qualify the table with its dataset
-- (`my_dataset.agg_first_meaningful_intent_metrics`) or run with a default dataset.
select
    source_system,
    bot_id,
    first_meaningful_intent,
    total_conversations,
    bot_handled_rate
from agg_first_meaningful_intent_metrics
order by source_system, bot_id, total_conversations desc, first_meaningful_intent
