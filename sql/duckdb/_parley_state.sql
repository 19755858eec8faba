-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Per-stream connector state, committed in the same transaction as the records it covers. One row
-- per (source_instance, stream); source_instance NULL = a state of Parley 0.1, adopted by the first
-- sync of its vendor.
-- Key: source_instance, stream.
CREATE TABLE IF NOT EXISTS _parley_state (
    source_instance  VARCHAR,                              -- the vendor account the state belongs to
    stream           VARCHAR NOT NULL,                     -- the stream
    state            JSON NOT NULL USING COMPRESSION zstd, -- the stream state (connector/core/streams/state.ts)
    updated_at       TIMESTAMP NOT NULL,                   -- when it was committed (UTC)
    _sync_id         VARCHAR NOT NULL                      -- the sync that committed it
);
