-- Raw Ultimate conversations on BigQuery: one row per (bot_id, conversation_id), the newest version
-- seen. Same columns as sql/duckdb/raw_ultimate_conversations.sql. Partitioned by the day the
-- conversation STARTED (stable for a conversation, unlike the export day, which moves if it ends
-- later), so a sync's MERGE names the few partitions it touches literally; clustered by the key.
-- {{dataset}} is replaced by `project.dataset` when the destination creates the table.
CREATE TABLE IF NOT EXISTS `{{dataset}}.raw_ultimate_conversations` (
    bot_id                         STRING    NOT NULL,
    conversation_id                STRING    NOT NULL,
    export_date                    DATE      NOT NULL,
    bot_name                       STRING,
    platform_conversation_id       STRING,
    conversation_start_time        TIMESTAMP NOT NULL,
    conversation_end_time          TIMESTAMP,
    language                       STRING,
    channel                        STRING,
    test_mode                      BOOL,
    conversation_status            STRING,
    last_resolution                STRING,
    is_llm_conversation            BOOL,
    bot_messages_count             INT64,
    visitor_messages_count         INT64,
    not_understood_messages_count  INT64,
    triggered_intent_replies       JSON,
    record                         JSON      NOT NULL,
    _extracted_at                  TIMESTAMP NOT NULL,
    _sync_id                       STRING    NOT NULL
)
PARTITION BY DATE(conversation_start_time)
CLUSTER BY bot_id, conversation_id;
