-- Genesys Architect flow outcomes (id → name), read whole every sync.
CREATE TABLE IF NOT EXISTS `{{dataset}}.raw_genesys_flow_outcomes` (
    outcome_id     STRING    NOT NULL,
    name           STRING,
    description    STRING,
    record         JSON      NOT NULL,
    _extracted_at  TIMESTAMP NOT NULL,
    _sync_id       STRING    NOT NULL
);
