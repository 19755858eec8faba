-- One row per UTC day whose Genesys conversations have all been requested (see sql/duckdb/raw_genesys_loaded_days.sql).
CREATE TABLE IF NOT EXISTS `{{dataset}}.raw_genesys_loaded_days` (
    day             DATE      NOT NULL,
    loaded_through  TIMESTAMP NOT NULL,
    record          JSON      NOT NULL,
    _extracted_at   TIMESTAMP NOT NULL,
    _sync_id        STRING    NOT NULL
)
PARTITION BY day;
