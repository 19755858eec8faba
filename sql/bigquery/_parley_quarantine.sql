-- Records that failed validation, with the reason (see sql/duckdb/_parley_quarantine.sql).
CREATE TABLE IF NOT EXISTS `{{dataset}}._parley_quarantine` (
    source_stream  STRING    NOT NULL,
    locator        STRING    NOT NULL,
    reason         STRING    NOT NULL,
    raw_text       STRING    NOT NULL,
    _extracted_at  TIMESTAMP NOT NULL,
    _sync_id       STRING    NOT NULL
)
CLUSTER BY source_stream;
