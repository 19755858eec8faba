-- Every vendor's loaded export days (key source_system + bot_id + export_date): the evidence
-- agg_bot_daily_metrics.is_complete is computed from. A vendor whose data is exported per day of
-- conversation end adds its staging model to the list.
{%- set vendor_export_days = [
    ref('stg_ultimate__export_days'),
    ref('stg_genesys__loaded_days'),
] %}

{%- set columns = [
    'source_system',
    'bot_id',
    'export_date',
    'extracted_at',
] %}

with

unioned as (
    {{ union_vendor_relations(vendor_export_days, columns) }}
)

select * from unioned
