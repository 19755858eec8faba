-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- One row per UTC day whose Genesys conversations have all been requested: the data-availability
-- watermark passed the day's end. dbt's `is_complete` reads it (a day may have no conversations).
-- Key: source_instance, day.
CREATE TABLE IF NOT EXISTS raw_genesys_loaded_days (
    source_instance  VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    day              DATE NOT NULL,                        -- the UTC day
    loaded_through   TIMESTAMP NOT NULL,                   -- the watermark when the day was passed
    record           JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at    TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id         VARCHAR NOT NULL                      -- the sync that loaded this version
);
