-- One row per Ultimate conversation in the shared conversation shape, with what Ultimate's status
-- words mean for the marts (DECISIONLOG.md, "Containment outcome"):
--   containment_outcome: escalated for the seed's escalation statuses (email, agent,
--     customEscalation), contained for any other status (the seed's deflection, failedEscalation
--     and statuses we do not know yet included); NULL without a status. Never abandoned.
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
        end as containment_outcome
    from conversations

)

select * from classified
