/**
 * The files generated from declarations, checked in so readers (and Airbyte, and dbt) see them:
 * spec.json (the config schemas), sql/<warehouse>/<table>.sql (the table declarations' DDL) and each
 * vendor's dbt sources file. `npm run generate` writes them; test/contract/generated-files.test.ts
 * fails when one drifts from what the code declares.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { specMessage } from './cli/spec.js';
import { packageRoot } from './core/paths.js';
import { stateTable } from './core/streams/state.js';
import { dbtSourcesYaml } from './core/tables/dbt-sources.js';
import { createTableSql } from './core/tables/ddl.js';
import { allStreams, SOURCES, vendorTables } from './sources/registry.js';

const SOURCE_DESCRIPTIONS: Record<string, string> = {
  ultimate: "Raw tables written by the connector's Ultimate (Zendesk AI agents) Data Export streams (DDL: sql/duckdb/raw_ultimate_*.sql).",
  genesys:
    "Raw tables written by the connector's Genesys Cloud source (Conversation Detail jobs; DDL: sql/duckdb/raw_genesys_*.sql). Every sync creates them, so they exist (empty) in a warehouse that loads only other vendors.",
  kore: "Raw tables written by the connector's Kore.ai source (getSessions and getAnalytics per bot; DDL: sql/duckdb/raw_kore_*.sql). Every sync creates them, so they exist (empty) in a warehouse that loads only other vendors.",
  sunbird:
    "Raw tables written by the connector's Sunbird UCI source (Exhaust API requests: response exhaust CSV, private exhaust zip; DDL: sql/duckdb/raw_sunbird_*.sql). Every sync creates them, so they exist (empty) in a warehouse that loads only other vendors.",
};

/** Relative path → content of every generated file. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const message = specMessage();
  files.set('spec.json', `${JSON.stringify(message.type === 'SPEC' ? message.spec : {}, null, 2)}\n`);
  const tables = [stateTable, ...new Map(allStreams().map((s) => [s.table.name, s.table])).values()];
  const header = '-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.\n';
  for (const table of tables) {
    files.set(`sql/duckdb/${table.name}.sql`, header + createTableSql('duckdb', table));
    files.set(`sql/bigquery/${table.name}.sql`, header + createTableSql('bigquery', table));
  }
  for (const vendor of Object.keys(SOURCES)) {
    files.set(`transformations/models/staging/${vendor}/_${vendor}__sources.yml`, dbtSourcesYaml(vendor, SOURCE_DESCRIPTIONS[vendor] ?? `Raw tables of the ${vendor} source.`, vendorTables(vendor)));
  }
  return files;
}

/** Generated .sql files that no table declares any more (removed by `npm run generate`). */
export function orphanedSqlFiles(root: string, files: Map<string, string>): string[] {
  const out: string[] = [];
  for (const warehouse of ['duckdb', 'bigquery']) {
    const dir = path.join(root, 'sql', warehouse);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) if (name.endsWith('.sql') && !files.has(`sql/${warehouse}/${name}`)) out.push(`sql/${warehouse}/${name}`);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = packageRoot();
  const files = generatedFiles();
  for (const [relative, content] of files) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) {
      fs.writeFileSync(file, content);
      process.stderr.write(`wrote ${relative}\n`);
    }
  }
  for (const orphan of orphanedSqlFiles(root, files)) {
    fs.rmSync(path.join(root, orphan));
    process.stderr.write(`removed ${orphan}\n`);
  }
}
