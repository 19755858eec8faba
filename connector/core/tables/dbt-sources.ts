/**
 * The dbt `sources:` file of one vendor (transformations/models/staging/<vendor>/_<vendor>__sources.yml)
 * from its raw table declarations: every column with its description, `not_null` on the key and on
 * NOT NULL columns. Written by `npm run generate`; a test fails when it drifts.
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
    '    tables:',
  ];
  for (const table of tables) {
    lines.push(`      - name: ${table.name}`, `        description: ${quote(`${table.description} Key: ${table.key.join(', ')}.`)}`, '        columns:');
    for (const column of table.columns) {
      lines.push(`          - name: ${column.name}`, `            description: ${quote(column.description)}`);
      // Old rows of a column added later (e.g. source_instance before it was adopted) may be NULL: only key columns are tested.
      if (table.key.includes(column.name) && column.name !== 'source_instance') lines.push('            data_tests: [not_null]');
    }
  }
  return `${lines.join('\n')}\n`;
}
