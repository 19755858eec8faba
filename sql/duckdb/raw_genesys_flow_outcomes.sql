-- Genesys Architect flow outcomes (id → name), read whole every sync: names the outcome ids in
-- raw_genesys_conversations.flow_outcomes.
CREATE TABLE IF NOT EXISTS raw_genesys_flow_outcomes (
    outcome_id     VARCHAR   NOT NULL,
    name           VARCHAR,
    description    VARCHAR,
    record         JSON      NOT NULL,
    _extracted_at  TIMESTAMP NOT NULL,
    _sync_id       VARCHAR   NOT NULL
);
