-- Per-stream connector state, committed in the same transaction as the records it covers.
CREATE TABLE IF NOT EXISTS `{{dataset}}._parley_state` (
    stream      STRING    NOT NULL,
    state       JSON      NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    _sync_id    STRING    NOT NULL
);
