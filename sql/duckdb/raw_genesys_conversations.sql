-- Raw Genesys Cloud conversations, one row per conversation_id: the newest version seen (a job
-- returns every conversation overlapping its interval, so one appears in several; an active one is
-- replaced once it has ended). Typed columns are the detail record's top-level fields and facts read
-- mechanically off its participant tree (connector/sources/genesys/record.ts); `record` is the whole
-- conversation as delivered: participants → sessions → segments, metrics, flow outcomes.
CREATE TABLE IF NOT EXISTS raw_genesys_conversations (
    conversation_id           VARCHAR   NOT NULL,
    conversation_start        TIMESTAMP NOT NULL, -- UTC
    conversation_end          TIMESTAMP,          -- UTC; NULL while the conversation is active
    originating_direction     VARCHAR,
    self_served               BOOLEAN,            -- the vendor's flag; often absent
    division_ids              JSON,
    media_type                VARCHAR,            -- the customer's first session: voice, message, chat, email, ...
    first_flow_id             VARCHAR,            -- the first flow entered (bot, IVR or chat entry flow)
    first_flow_name           VARCHAR,
    first_flow_type           VARCHAR,
    bot_flow_id               VARCHAR,            -- the first BOT / DIGITALBOT flow, if any
    bot_flow_name             VARCHAR,
    bot_flow_type             VARCHAR,
    bot_flow_started_at       TIMESTAMP,
    bot_flow_exit_reason      VARCHAR,            -- e.g. TRANSFER, DISCONNECT, FLOW_DISCONNECT
    bot_flow_transfer_type    VARCHAR,            -- e.g. ACD
    acd_started_at            TIMESTAMP,          -- first queue (acd participant) segment
    agent_started_at          TIMESTAMP,          -- first agent segment
    customer_disconnect_type  VARCHAR,            -- the customer's last disconnectType, e.g. client
    flow_outcomes             JSON      NOT NULL, -- [{flow_id, flow_type, outcome_id, outcome_value, started_at, ended_at}] by started_at
    record                    JSON      NOT NULL, -- the whole conversation as delivered
    _extracted_at             TIMESTAMP NOT NULL,
    _sync_id                  VARCHAR   NOT NULL
);
