{#
  Incremental builds by whole UTC day (DECISIONLOG.md, "Incremental marts").

  A day-partitioned model rebuilds exactly the days whose inputs changed since its last build: the
  days of input rows loaded (Parley's _extracted_at, the start time of the sync that loaded them,
  carried as loaded_at) after the newest loaded_at the model already holds, minus var
  incremental_overlap_minutes (rows of a sync still committing while dbt last ran). The day list is read with one small query before the model
  runs and written into the model's SQL as literals, so BigQuery prunes the raw partitions it scans
  and the replaced partitions are exactly those days (insert_overwrite); DuckDB deletes and
  re-inserts the same days.
#}

{# The incremental strategy of day-partitioned models on this warehouse. #}
{% macro day_partitioned_incremental_strategy() -%}
    {{ return(adapter.dispatch('day_partitioned_incremental_strategy', 'parley')()) }}
{%- endmacro %}

{#- DuckDB (and any other adapter): delete the rebuilt days' keys, insert the days again. -#}
{% macro default__day_partitioned_incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{#- BigQuery: replace the rebuilt days' partitions whole. -#}
{% macro bigquery__day_partitioned_incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#
  The UTC days ('YYYY-MM-DD' text, sorted) to rebuild, or none when the model is built in full
  (first run, --full-refresh, or the model holds no loaded_at yet).
  changes: list of {'relation': <relation>, 'day': <SQL DATE expression>, 'loaded_at': <TIMESTAMP column>};
  each contributes the `day` of its rows whose `loaded_at` is after the watermark.
#}
{% macro days_to_rebuild(changes, quiet=false) -%}
    {#- `this` is none in unit tests that override vars: they build in full too -#}
    {%- if this is none or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set newest = run_query('select max(loaded_at) as newest from ' ~ this).columns[0].values()[0] -%}
    {%- if newest is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set since = newest - modules.datetime.timedelta(minutes=var('incremental_overlap_minutes') | int) -%}
    {%- set since_literal = "timestamp '" ~ since.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "'" -%}
    {%- set queries = [] -%}
    {%- for change in changes -%}
        {%- do queries.append(
            'select distinct cast(' ~ change.day ~ ' as ' ~ dbt.type_string() ~ ') as day from ' ~ change.relation
            ~ ' where ' ~ change.loaded_at ~ ' > ' ~ since_literal ~ ' and ' ~ change.day ~ ' is not null'
        ) -%}
    {%- endfor -%}
    {%- set days = run_query(queries | join('\nunion all\n')).columns[0].values() | map('string') | unique | sort | list -%}
    {%- set listed = (days | join(', ')) if days | length <= 31 else (days[0] ~ ' .. ' ~ days[-1]) -%}
    {%- if not quiet -%}
    {{ log(this.identifier ~ ': rebuilding ' ~ (days | length) ~ ' day(s) loaded since ' ~ since.strftime('%Y-%m-%d %H:%M:%S') ~ ' UTC'
        ~ (': ' ~ listed if days else ''), info=true) }}
    {%- endif -%}
    {{ return(days) }}
{%- endmacro %}

{#
  A predicate: `column` falls on one of `days` (from days_to_rebuild). true for none (full build),
  false for an empty list. TIMESTAMP columns (UTC) are compared as half-open ranges of contiguous
  days, DATE columns with IN; both are literal, so BigQuery prunes partitions on them.
#}
{% macro within_days(column, days, column_type='timestamp') -%}
    {%- if days is none -%}
        true
    {%- elif days | length == 0 -%}
        false
    {%- elif column_type == 'date' -%}
        {{ column }} in ({% for day in days %}date '{{ day }}'{{ ', ' if not loop.last }}{% endfor %})
    {%- else -%}
        {%- set one_day = modules.datetime.timedelta(days=1) -%}
        {%- set ranges = [] -%}
        {%- for text in days -%}
            {%- set day = modules.datetime.date.fromisoformat(text) -%}
            {%- if ranges and ranges[-1]['end'] == day -%}
                {%- do ranges[-1].update({'end': day + one_day}) -%}
            {%- else -%}
                {%- do ranges.append({'start': day, 'end': day + one_day}) -%}
            {%- endif -%}
        {%- endfor -%}
        ({% for span in ranges %}({{ column }} >= timestamp '{{ span.start }} 00:00:00' and {{ column }} < timestamp '{{ span.end }} 00:00:00'){{ ' or ' if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}

{#
  The pre-hook of every day-partitioned model: deletes every row of the days this incremental run
  rebuilds (the same days_to_rebuild(changes) as the model body; nothing on a full build), so a day
  that lost all of a bot's rows (its conversations moved to another day) loses its old row too.
  Without it DuckDB's delete+insert deletes only the keys the new rows have, and BigQuery's
  insert_overwrite replaces only the partitions the new rows fall in (DECISIONLOG.md, "Incremental
  marts"). DuckDB runs the hook in the model's transaction; on BigQuery a failed build leaves the days
  empty until the next run rebuilds them (its watermark, the model's newest loaded_at, has not moved).
  day_column: the model's DATE column of the day.
#}
{% macro delete_rebuilt_days(changes, day_column) -%}
    {%- set days = days_to_rebuild(changes, quiet=true) -%}
    {%- if days -%}
        delete from {{ this }} where {{ within_days(day_column, days, 'date') }}
    {%- endif -%}
{%- endmacro %}
