-- One row per (bot_id, export_date): an Ultimate daily export that Parley has loaded completely.
-- dbt uses it for `is_complete` (day x is complete once the exports of x and x+1 are both loaded),
-- which conversation rows alone cannot tell (a day may have no conversations).
CREATE TABLE IF NOT EXISTS raw_ultimate_export_days (
    bot_id              VARCHAR   NOT NULL,
    export_date         DATE      NOT NULL,
    file_count          INTEGER   NOT NULL,
    conversation_count  INTEGER   NOT NULL,
    quarantined_count   INTEGER   NOT NULL,
    record              JSON      NOT NULL,
    _extracted_at       TIMESTAMP NOT NULL,
    _sync_id            VARCHAR   NOT NULL
);
