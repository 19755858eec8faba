-- One row per Ultimate conversation in the shared conversation shape, with what Ultimate's status
-- words mean for the marts (DECISIONLOG.md, "Containment outcome" and "Vendor flags"):
--   containment_outcome: escalated for the seed's escalation statuses (email, agent,
--     customEscalation), contained for any other status (the seed's deflection, failedEscalation
--     and statuses we do not know yet included); NULL without a status. Never abandoned.
--   is_bot_handled = status botHandled, is_failed_escalation = status failedEscalation,
--   is_informed = last_resolution informed, is_automated = last_resolution informed or resolved.
-- A flag is false (not NULL) when the status or resolution is missing: the seed counts those
-- conversations in no numerator.
with

conversations as (

    select * from {{ ref('stg_ultimate__conversations') }}

),

classified as (

    select
        conversations.*,
        case
            when conversation_status is null then null
            when conversation_status in ('email', 'agent', 'customEscalation') then 'escalated'
            else 'contained'
        end as containment_outcome,
        coalesce(conversation_status = 'botHandled', false) as is_bot_handled,
        coalesce(conversation_status = 'failedEscalation', false) as is_failed_escalation,
        coalesce(last_resolution = 'informed', false) as is_informed,
        coalesce(last_resolution in ('informed', 'resolved'), false) as is_automated
    from conversations

)

select * from classified
