-- One row per UTC day whose Genesys conversations have all been requested: the data-availability
-- watermark passed the day's end. dbt's `is_complete` reads it (a day may have no conversations).
CREATE TABLE IF NOT EXISTS raw_genesys_loaded_days (
    day             DATE      NOT NULL,
    loaded_through  TIMESTAMP NOT NULL, -- the watermark when the day was passed
    record          JSON      NOT NULL,
    _extracted_at   TIMESTAMP NOT NULL,
    _sync_id        VARCHAR   NOT NULL
);
