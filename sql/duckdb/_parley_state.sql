-- Per-stream connector state, committed in the same transaction as the records it covers.
CREATE TABLE IF NOT EXISTS _parley_state (
    stream      VARCHAR   NOT NULL PRIMARY KEY,
    state       JSON      NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    _sync_id    VARCHAR   NOT NULL
);
