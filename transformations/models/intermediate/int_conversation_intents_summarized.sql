-- One row per conversation with triggered intents (every vendor): its first, last and first
-- meaningful intent. Order of intents: intent_at ascending (unknown times after known ones), ties
-- broken by intent_position. First = head of that order, last = its tail. First meaningful = head
-- of the intents with is_meaningful and a name not in var not_meaningful_intent_names.
-- Conversations without intents have no row here (fct_conversations keeps them, with nulls).
-- started_at (the conversation's start) rides in every partition and group key: it is the same for
-- all intents of a conversation, and it lets a filter on started_at (incremental marts) reach the
-- raw table's partitions through this view. (DECISIONLOG.md, "Intents", "Incremental marts".)
with

intents as (

    select * from {{ ref('int_conversation_intents_unioned') }}

),

ordered_intents as (

    select
        source_system,
        source_instance,
        bot_id,
        conversation_id,
        started_at,
        intent_name,
        row_number() over (
            partition by source_system, source_instance, bot_id, conversation_id, started_at
            order by intent_at asc nulls last, intent_position asc
        ) as rank_from_first,
        row_number() over (
            partition by source_system, source_instance, bot_id, conversation_id, started_at
            order by intent_at desc nulls first, intent_position desc
        ) as rank_from_last,
        coalesce(
            is_meaningful
            and intent_name is not null
            and {{ not_in_text_values('intent_name', text_list_var('not_meaningful_intent_names')) }},
            false
        ) as counts_as_meaningful,
        intent_at,
        intent_position
    from intents

),

meaningful_intents as (

    select
        source_system,
        source_instance,
        bot_id,
        conversation_id,
        started_at,
        intent_name,
        row_number() over (
            partition by source_system, source_instance, bot_id, conversation_id, started_at
            order by intent_at asc nulls last, intent_position asc
        ) as meaningful_rank
    from ordered_intents
    where counts_as_meaningful

),

first_and_last as (

    select
        source_system,
        source_instance,
        bot_id,
        conversation_id,
        started_at,
        max(case when rank_from_first = 1 then intent_name end) as first_intent,
        max(case when rank_from_last = 1 then intent_name end) as last_intent,
        count(*) as triggered_intents_count
    from ordered_intents
    group by source_system, source_instance, bot_id, conversation_id, started_at

),

first_meaningful as (

    select
        source_system,
        source_instance,
        bot_id,
        conversation_id,
        intent_name as first_meaningful_intent
    from meaningful_intents
    where meaningful_rank = 1

),

summarized as (

    select
        first_and_last.source_system,
        first_and_last.source_instance,
        first_and_last.bot_id,
        first_and_last.conversation_id,
        first_and_last.started_at,
        first_and_last.first_intent,
        first_and_last.last_intent,
        first_meaningful.first_meaningful_intent,
        first_and_last.triggered_intents_count
    from first_and_last
    left join first_meaningful
        on first_and_last.source_system = first_meaningful.source_system
        and first_and_last.source_instance = first_meaningful.source_instance
        and first_and_last.bot_id = first_meaningful.bot_id
        and first_and_last.conversation_id = first_meaningful.conversation_id

)

select * from summarized
