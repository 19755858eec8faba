-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Raw Sunbird UCI response exhaust rows, one per (bot_id, response_id): an answer to one question.
-- Rows are filed by the day the vendor ingested them, so a conversation near midnight can span two
-- windows' files. Typed columns are parsed by header name; `record` is the CSV row as delivered
-- (header → cell). BigQuery: partitioned by the day of the answer, clustered by the key.
-- Key: source_instance, bot_id, response_id.
CREATE TABLE IF NOT EXISTS raw_sunbird_responses (
    source_instance       VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id                VARCHAR NOT NULL,                     -- the bot: the conversationId the exhaust was requested for
    response_id           VARCHAR NOT NULL,                     -- Message ID when the file has one, else `content:<sha256 of the row's cells by header name, @timestamp left out>`
    message_id            VARCHAR,                              -- Message ID (NULL in files older than the column)
    conversation_name     VARCHAR,                              -- Conversation Name: the bot's name
    device_id             VARCHAR NOT NULL,                     -- Device ID: the user (joins to raw_sunbird_users.device_uuid)
    session_id            VARCHAR,                              -- Session ID; NULL when the file has no such column or the cell is empty
    question_id           VARCHAR,                              -- Question Id
    question_type         VARCHAR,                              -- Question Type
    question_title        VARCHAR,                              -- Question Title: the question asked (the intent of the step)
    question_description  VARCHAR,                              -- Question Description
    question_duration     DOUBLE,                               -- Question Duration, as a number
    question_score        DOUBLE,                               -- Question Score (0 = the answer was not understood)
    question_max_score    DOUBLE,                               -- Question Max Score
    question_options      JSON USING COMPRESSION zstd,          -- Question Options: the JSON the cell holds (e.g. [{"1":{"text":"1 Yes"}}]); NULL when empty
    question_response     JSON USING COMPRESSION zstd,          -- Question Response: the JSON the cell holds, or its text as a JSON string when it is not JSON; NULL when the cell is empty (consent withheld)
    consent_withheld      BOOLEAN NOT NULL,                     -- the Question Response cell was "" (the user withheld consent)
    x_path                VARCHAR,                              -- X Path (NULL in files older than the column)
    eof                   BOOLEAN,                              -- Eof: the conversation reached its end at this answer; NULL when the file has no Eof column
    file_has_eof          BOOLEAN NOT NULL,                     -- the file had an Eof column (else containment cannot be told)
    answered_at           TIMESTAMP NOT NULL,                   -- Timestamp: when the user answered (UTC)
    ingested_at           TIMESTAMP,                            -- @timestamp: when the vendor ingested the row (UTC); NULL when absent
    window_start          DATE NOT NULL,                        -- the first day of the exhaust window whose file held the row
    record                JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at         TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id              VARCHAR NOT NULL                      -- the sync that loaded this version
);
