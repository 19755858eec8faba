-- One row per Kore.ai session (raw_kore_sessions), renamed to Parley's vocabulary and typed: a Kore
-- session is Parley's conversation (session_id -> conversation_id). The containment type and status
-- as delivered; what they mean for the marts (containment outcome, flags) is decided in
-- int_kore__conversations (DECISIONLOG.md, "Kore.ai"). Named stg_kore__conversations, not
-- __sessions: the cross-layer count test counts each vendor's stg_<vendor>__conversations.
with

source as (

    select * from {{ source('kore', 'raw_kore_sessions') }}

),

first_languages as (

    -- session_lang's first element (the session's language); sessions with no array have no row
    select
        source.source_instance,
        source.bot_id,
        source.session_id,
        {{ json_scalar_text('language_element') }} as language
    from source
    {{ unnest_json_array_with_position('source.languages', 'language_element', 'language_position') }}
    where language_position = 0

),

renamed as (

    select
        -- keys
        'kore' as source_system,
        source.source_instance,
        source.bot_id,
        source.session_id as conversation_id,
        source.user_id,

        -- descriptive
        source.channel,
        first_languages.language,
        source.session_type,

        -- timestamps (UTC)
        source.started_at,
        source.ended_at,

        -- status, as delivered
        source.is_developer as is_test,
        source.containment_type,
        source.reported_containment_type,
        source.session_status,

        -- counts, as delivered
        source.messages_exchanged,
        source.tasks_executed,

        -- load metadata
        source._extracted_at as extracted_at,
        source._sync_id as sync_id

    from source
    left join first_languages
        on source.source_instance = first_languages.source_instance
        and source.bot_id = first_languages.bot_id
        and source.session_id = first_languages.session_id

)

select * from renamed
