/**
 * The dbt `sources:` file of one vendor (transformations/models/staging/<vendor>/_<vendor>__sources.yml)
 * from its raw table declarations: every column with its description, `not_null` on the key and on
 * NOT NULL columns, and source freshness on `_extracted_at` with the project vars' thresholds
 * (tables declared `freshness: false` skip it). Written by `npm run generate`; a test fails when it drifts.
 */
import type { TableDeclaration } from './declare.js';

const quote = (text: string) => JSON.stringify(text);

export function dbtSourcesYaml(vendor: string, description: string, tables: readonly TableDeclaration[]): string {
  const lines = [
    `# Generated from the connector's table declarations (connector/sources/${vendor}/): npm run generate.`,
    'version: 2',
    '',
    'sources:',
    `  - name: ${vendor}`,
    `    description: ${quote(description)}`,
    '    # Schema on DuckDB, dataset on BigQuery. Default: the target\'s own schema / dataset (`main` in',
    '    # the DuckDB file; PARLEY_BQ_DATASET on BigQuery).',
    `    schema: "{{ var('parley_raw_schema', env_var('PARLEY_RAW_SCHEMA', target.schema)) }}"`,
    '    # `dbt source freshness` (run by `parley run` after the build): the newest _extracted_at of each',
    '    # table against the thresholds in dbt_project.yml vars (source_freshness_warn_after_hours,',
    '    # source_freshness_error_after_hours).',
    '    config:',
    '      loaded_at_field: _extracted_at',
    '      freshness:',
    `        warn_after: { count: "{{ var('source_freshness_warn_after_hours') | as_number }}", period: hour }`,
    `        error_after: { count: "{{ var('source_freshness_error_after_hours') | as_number }}", period: hour }`,
    '    tables:',
  ];
  for (const table of tables) {
    lines.push(`      - name: ${table.name}`, `        description: ${quote(`${table.description} Key: ${table.key.join(', ')}.`)}`);
    if (table.freshness === false) lines.push('        config: { freshness: null } # may stay empty for good: not checked');
    lines.push('        columns:');
    for (const column of table.columns) {
      lines.push(`          - name: ${column.name}`, `            description: ${quote(column.description)}`);
      // Old rows of a column added later (e.g. source_instance before it was adopted) may be NULL: only key columns are tested.
      if (table.key.includes(column.name) && column.name !== 'source_instance') lines.push('            data_tests: [not_null]');
    }
  }
  return `${lines.join('\n')}\n`;
}
