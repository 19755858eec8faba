-- Records that failed validation, kept with the reason instead of being dropped. One row per
-- (source_stream, locator): re-reading the same export again replaces the row, not duplicates it.
CREATE TABLE IF NOT EXISTS _parley_quarantine (
    source_stream  VARCHAR   NOT NULL, -- the stream the record belonged to
    locator        VARCHAR   NOT NULL, -- where it came from, e.g. bot/day/file/line
    reason         VARCHAR   NOT NULL, -- what was wrong and with which field
    raw_text       VARCHAR   NOT NULL, -- the record as received (truncated to 64 KiB)
    _extracted_at  TIMESTAMP NOT NULL,
    _sync_id       VARCHAR   NOT NULL
);
