-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Raw Sunbird UCI response exhaust rows, one per (bot_id, response_id): an answer to one question.
-- Rows are filed by the day the vendor ingested them, so a conversation near midnight can span two
-- windows' files. Typed columns are parsed by header name; `record` is the CSV row as delivered
-- (header → cell). BigQuery: partitioned by the day of the answer, clustered by the key.
-- Key: source_instance, bot_id, response_id.
CREATE TABLE IF NOT EXISTS `{{dataset}}.raw_sunbird_responses` (
    source_instance       STRING NOT NULL,    -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id                STRING NOT NULL,    -- the bot: the conversationId the exhaust was requested for
    response_id           STRING NOT NULL,    -- Message ID when the file has one, else `content:<sha256 of the row's cells by header name, @timestamp left out>`
    message_id            STRING,             -- Message ID (NULL in files older than the column)
    conversation_name     STRING,             -- Conversation Name: the bot's name
    device_id             STRING NOT NULL,    -- Device ID: the user (joins to raw_sunbird_users.device_uuid)
    session_id            STRING,             -- Session ID; NULL when the file has no such column or the cell is empty
    question_id           STRING,             -- Question Id
    question_type         STRING,             -- Question Type
    question_title        STRING,             -- Question Title: the question asked (the intent of the step)
    question_description  STRING,             -- Question Description
    question_duration     FLOAT64,            -- Question Duration, as a number
    question_score        FLOAT64,            -- Question Score (0 = the answer was not understood)
    question_max_score    FLOAT64,            -- Question Max Score
    question_options      JSON,               -- Question Options: the JSON the cell holds (e.g. [{"1":{"text":"1 Yes"}}]); NULL when empty
    question_response     JSON,               -- Question Response: the JSON the cell holds, or its text as a JSON string when it is not JSON; NULL when the cell is empty (consent withheld)
    consent_withheld      BOOL NOT NULL,      -- the Question Response cell was "" (the user withheld consent)
    x_path                STRING,             -- X Path (NULL in files older than the column)
    eof                   BOOL,               -- Eof: the conversation reached its end at this answer; NULL when the file has no Eof column
    file_has_eof          BOOL NOT NULL,      -- the file had an Eof column (else containment cannot be told)
    answered_at           TIMESTAMP NOT NULL, -- Timestamp: when the user answered (UTC)
    ingested_at           TIMESTAMP,          -- @timestamp: when the vendor ingested the row (UTC); NULL when absent
    window_start          DATE NOT NULL,      -- the first day of the exhaust window whose file held the row
    record                JSON NOT NULL,      -- the whole record as the vendor delivered it
    _extracted_at         TIMESTAMP NOT NULL, -- start of the sync that loaded this version (UTC)
    _sync_id              STRING NOT NULL     -- the sync that loaded this version
)
PARTITION BY DATE(answered_at)
CLUSTER BY bot_id, device_id;
