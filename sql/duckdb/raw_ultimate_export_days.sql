-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- One row per (bot_id, export_date) Parley has settled: the daily export loaded completely (status
-- loaded), or recorded as missing after it was still not served not_ready_grace_days after the day
-- (status missing). dbt uses the loaded ones for `is_complete` (day x is complete once the exports
-- of x and x+1 are both loaded), which conversation rows alone cannot tell.
-- Key: source_instance, bot_id, export_date.
CREATE TABLE IF NOT EXISTS raw_ultimate_export_days (
    source_instance     VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id              VARCHAR NOT NULL,                     -- the bot
    export_date         DATE NOT NULL,                        -- the export day (UTC)
    status              VARCHAR,                              -- loaded, or missing (never served: see reason); NULL in rows of Parley 0.1 = loaded
    file_count          INTEGER NOT NULL,                     -- files the export had
    conversation_count  INTEGER NOT NULL,                     -- valid conversations loaded from them
    quarantined_count   INTEGER NOT NULL,                     -- records quarantined from them
    reason              VARCHAR,                              -- why a missing day is missing
    record              JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at       TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id            VARCHAR NOT NULL                      -- the sync that loaded this version
);
