-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- One row per (bot_id, window_start) of response exhaust windows loaded whole: a SUCCESS job whose
-- files were all read, or a FAILED "No data found" job (an empty window). dbt's `is_complete` for a
-- Sunbird day: the windows of the day and the next day are loaded.
-- Key: source_instance, bot_id, window_start.
CREATE TABLE IF NOT EXISTS raw_sunbird_exhaust_windows (
    source_instance    VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id             VARCHAR NOT NULL,                     -- the bot (conversationId)
    window_start       DATE NOT NULL,                        -- the first day of the window (the request's startDate)
    window_end         DATE NOT NULL,                        -- the day after its last day (the request's endDate is the day before: inclusive)
    status             VARCHAR NOT NULL,                     -- loaded (its files were read) or empty (the vendor found no data)
    request_id         VARCHAR NOT NULL,                     -- the vendor's requestId of the job loaded
    tag                VARCHAR NOT NULL,                     -- the tag Parley submitted it under (unique per window and attempt)
    attempts           INTEGER NOT NULL,                     -- submissions it took (new tags), 1 when the first job succeeded
    file_count         INTEGER NOT NULL,                     -- CSV files read
    record_count       INTEGER NOT NULL,                     -- response rows read
    quarantined_count  INTEGER NOT NULL,                     -- rows quarantined from it
    submitted_at       TIMESTAMP,                            -- when the job loaded was submitted (UTC)
    completed_at       TIMESTAMP,                            -- the vendor's dtJobCompleted (UTC)
    record             JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at      TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id           VARCHAR NOT NULL                      -- the sync that loaded this version
);
