-- One row per Genesys Cloud conversation: the connector's typed facts (read off the participant
-- tree) renamed and typed, keyed by Parley's bot_id. No classification here: containment, the
-- derived status and the resolution are decided in int_genesys__conversations (DECISIONLOG.md,
-- "Genesys Cloud").
with

source as (

    select * from {{ source('genesys', 'raw_genesys_conversations') }}

),

renamed as (

    select
        -- keys
        'genesys' as source_system,
        source_instance,
        {{ genesys_bot_id() }} as bot_id,
        conversation_id,

        -- descriptive
        coalesce(bot_flow_name, first_flow_name) as bot_name,
        media_type as channel,
        originating_direction,

        -- timestamps (UTC)
        conversation_start as started_at,
        conversation_end as ended_at,

        -- the flows it went through
        bot_flow_id is not null as has_bot_flow,
        bot_flow_id,
        bot_flow_name,
        bot_flow_type,
        bot_flow_started_at,
        bot_flow_exit_reason,
        bot_flow_transfer_type,
        first_flow_id,
        first_flow_name,
        first_flow_type,

        -- who else took part, and how the customer left
        acd_started_at as queue_started_at,
        agent_started_at,
        customer_disconnect_type,

        -- the vendor's own verdict, as delivered (often absent)
        self_served,

        -- load metadata
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
