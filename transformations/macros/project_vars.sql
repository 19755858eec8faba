{#
  Typed readers for the project vars declared in dbt_project.yml, so that `--vars` given on the
  command line as text ("true", "Greeting") behaves like the YAML defaults.
#}

{# A boolean var: true / "true" / "yes" / "1" -> true; anything else -> false. #}
{% macro flag_var(name) -%}
    {%- set value = var(name) -%}
    {%- if value is string -%}
        {{ return(value | trim | lower in ['true', 'yes', '1']) }}
    {%- endif -%}
    {{ return(value is sameas true or value == 1) }}
{%- endmacro %}

{# A list-of-text var: a single text value becomes a one-element list; null becomes empty. #}
{% macro text_list_var(name) -%}
    {%- set value = var(name) -%}
    {%- if value is none -%}
        {{ return([]) }}
    {%- elif value is string -%}
        {{ return([value]) }}
    {%- endif -%}
    {{ return(value | list) }}
{%- endmacro %}
