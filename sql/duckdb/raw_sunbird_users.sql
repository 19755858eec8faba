-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Raw Sunbird UCI private exhaust rows (include_private_exhaust), one per (bot_id, device_uuid):
-- the users who conversed with the bot, read whole from the newest daily request (dates do not
-- apply). Device UUID joins to raw_sunbird_responses.device_id. Personal columns follow `pii`, in
-- `record` too.
-- Key: source_instance, bot_id, device_uuid.
CREATE TABLE IF NOT EXISTS raw_sunbird_users (
    source_instance      VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id               VARCHAR NOT NULL,                     -- the bot (Conversation ID)
    device_uuid          VARCHAR NOT NULL,                     -- Device UUID: the user
    conversation_name    VARCHAR,                              -- Conversation Name: the bot's name
    phone                VARCHAR,                              -- Decrypted Device ID (a phone number, "phone:91…"): NULL with pii "drop" (the default), `hmac:<hex>` (HMAC-SHA256 with pii_key) with "hash", as delivered with "raw"
    encrypted_device_id  VARCHAR,                              -- Encrypted Device ID: NULL with pii "drop" (the default), `hmac:<hex>` (HMAC-SHA256 with pii_key) with "hash", as delivered with "raw"
    snapshot_date        DATE NOT NULL,                        -- the day whose request delivered this version of the row
    record               JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at        TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id             VARCHAR NOT NULL                      -- the sync that loaded this version
);
