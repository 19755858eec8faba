-- Every vendor's settled data days per bot (key source_system + source_instance + bot_id +
-- export_date): int_<vendor>__export_days of each vendor in var `vendors`. is_loaded says whether
-- the day's data is all in (a day recorded missing is not); is_day_final whether a loaded day is
-- final on its own (Kore's settled windows) or the next day's data can still change its
-- conversations (Ultimate, Genesys). int_bot_days_completeness reads both.
{%- set columns = [
    'source_system',
    'source_instance',
    'bot_id',
    'export_date',
    'is_loaded',
    'is_day_final',
    'extracted_at',
] %}

with

unioned as (
    {{ union_vendor_relations(vendor_refs('int', 'export_days'), columns) }}
)

select * from unioned
