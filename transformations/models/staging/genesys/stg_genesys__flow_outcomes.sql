-- One row per flow outcome defined in Architect (per source instance): the names of the outcome ids
-- that conversations carry. Empty when the OAuth client may not read the list.
with

source as (

    select * from {{ source('genesys', 'raw_genesys_flow_outcomes') }}

),

renamed as (

    select
        'genesys' as source_system,
        source_instance,
        outcome_id,
        name as outcome_name,
        description as outcome_description,
        _extracted_at as extracted_at,
        _sync_id as sync_id

    from source

)

select * from renamed
