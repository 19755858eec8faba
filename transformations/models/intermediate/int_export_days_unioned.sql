-- Every vendor's loaded export days per bot (key source_system + source_instance + bot_id +
-- export_date): int_<vendor>__export_days of each vendor in var `vendors`; the evidence
-- agg_bot_daily_metrics.is_complete is computed from.
{%- set columns = [
    'source_system',
    'source_instance',
    'bot_id',
    'export_date',
    'extracted_at',
] %}

with

unioned as (
    {{ union_vendor_relations(vendor_refs('int', 'export_days'), columns) }}
)

select * from unioned
