-- One row per Sunbird UCI conversation key the answers carry (macro sunbird_conversation_id: Device
-- ID + Session ID, else Device ID + UTC day), nothing else. Sunbird delivers answers, not
-- conversations: this is the staging count of its conversations, which the cross-layer count test
-- compares with the marts (it counts each vendor's stg_<vendor>__conversations), so a rule that
-- lost or split a conversation between the answers and fct_conversations shows there. The
-- conversations' facts are computed in int_sunbird__conversations, from stg_sunbird__responses.
with

responses as (

    select * from {{ ref('stg_sunbird__responses') }}

),

conversation_keys as (

    select
        source_system,
        source_instance,
        bot_id,
        {{ sunbird_conversation_id() }} as conversation_id
    from responses
    group by source_system, source_instance, bot_id, {{ sunbird_conversation_id() }}

)

select * from conversation_keys
