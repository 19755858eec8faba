-- One row per user of a Sunbird UCI bot (raw_sunbird_users: the private exhaust, with
-- include_private_exhaust), renamed and typed. device_id is the private exhaust's Device UUID, the
-- response exhaust's Device ID (stg_sunbird__responses.device_id). The personal columns are kept as
-- the connector loaded them under its `pii` option: NULL (drop, the default), `hmac:<hex>` (hash) or
-- as delivered (raw). No mart reads this model.
with

source as (

    select * from {{ source('sunbird', 'raw_sunbird_users') }}

),

renamed as (

    select
        'sunbird' as source_system,
        source_instance,
        bot_id,
        device_uuid as device_id,
        conversation_name as bot_name,

        -- personal data, as loaded (pii option)
        phone,
        encrypted_device_id,

        -- the day whose private exhaust delivered this version of the row
        snapshot_date,

        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
