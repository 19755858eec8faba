-- Raw Genesys Cloud conversations on BigQuery: one row per conversation_id, the newest version seen.
-- Same columns as sql/duckdb/raw_genesys_conversations.sql. Partitioned by the day the conversation
-- STARTED (stable for a conversation), clustered by the key.
CREATE TABLE IF NOT EXISTS `{{dataset}}.raw_genesys_conversations` (
    conversation_id           STRING    NOT NULL,
    conversation_start        TIMESTAMP NOT NULL,
    conversation_end          TIMESTAMP,
    originating_direction     STRING,
    self_served               BOOL,
    division_ids              JSON,
    media_type                STRING,
    first_flow_id             STRING,
    first_flow_name           STRING,
    first_flow_type           STRING,
    bot_flow_id               STRING,
    bot_flow_name             STRING,
    bot_flow_type             STRING,
    bot_flow_started_at       TIMESTAMP,
    bot_flow_exit_reason      STRING,
    bot_flow_transfer_type    STRING,
    acd_started_at            TIMESTAMP,
    agent_started_at          TIMESTAMP,
    customer_disconnect_type  STRING,
    flow_outcomes             JSON      NOT NULL,
    record                    JSON      NOT NULL,
    _extracted_at             TIMESTAMP NOT NULL,
    _sync_id                  STRING    NOT NULL
)
PARTITION BY DATE(conversation_start)
CLUSTER BY conversation_id;
