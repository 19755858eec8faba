-- One row per (bot_id, export_date) loaded completely (see sql/duckdb/raw_ultimate_export_days.sql).
CREATE TABLE IF NOT EXISTS `{{dataset}}.raw_ultimate_export_days` (
    bot_id              STRING    NOT NULL,
    export_date         DATE      NOT NULL,
    file_count          INT64     NOT NULL,
    conversation_count  INT64     NOT NULL,
    quarantined_count   INT64     NOT NULL,
    record              JSON      NOT NULL,
    _extracted_at       TIMESTAMP NOT NULL,
    _sync_id            STRING    NOT NULL
)
PARTITION BY export_date
CLUSTER BY bot_id;
