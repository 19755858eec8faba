-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Records that failed validation, kept with the reason instead of being dropped. Re-reading the
-- same export replaces a row, never duplicates it.
-- Key: source_instance, source_stream, locator.
CREATE TABLE IF NOT EXISTS `{{dataset}}._parley_quarantine` (
    source_instance  STRING NOT NULL,    -- the vendor account the record came from
    source_stream    STRING NOT NULL,    -- the stream the record belonged to
    locator          STRING NOT NULL,    -- where it came from, e.g. bot/day/file/line
    reason           STRING NOT NULL,    -- what was wrong and with which field
    raw_text         STRING NOT NULL,    -- the record as received (truncated to 64 KiB)
    _extracted_at    TIMESTAMP NOT NULL, -- start of the sync that loaded this version (UTC)
    _sync_id         STRING NOT NULL     -- the sync that loaded this version
)
CLUSTER BY source_stream;
