-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Genesys Architect flow outcomes (id → name), read whole every sync: names the outcome ids in
-- raw_genesys_conversations.flow_outcomes.
-- Key: source_instance, outcome_id.
CREATE TABLE IF NOT EXISTS raw_genesys_flow_outcomes (
    source_instance  VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    outcome_id       VARCHAR NOT NULL,                     -- the flow outcome
    name             VARCHAR,                              -- its name in Architect
    description      VARCHAR,                              -- its description
    record           JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at    TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id         VARCHAR NOT NULL                      -- the sync that loaded this version
);
