import fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTableSql, sqlType } from './dist/connector/core/tables/ddl.js';
import { conversationRecords } from './dist/connector/sources/ultimate/tables.js';
import { csvOptions } from './dist/connector/destinations/duckdb/staging-file.js';
const mode = process.env.MODE ?? 'base', n = 8;
const db = '/tmp/prof/exp.duckdb'; fs.rmSync(db, { force: true }); fs.rmSync(db + '.wal', { force: true });
const inst = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '128MB', preserve_insertion_order: 'false', checkpoint_threshold: '1GB' });
const c = await inst.connect();
await c.run(`ATTACH '${db}' AS p (STORAGE_VERSION 'v1.2.0')`); await c.run('USE p');
const t = conversationRecords.table;
let ddl = createTableSql('duckdb', t);
if (mode === 'varchar') ddl = ddl.replaceAll(/ JSON( |,|\n)/g, ' VARCHAR$1');
await c.run(ddl);
const cols = t.columns.map((x) => ({ name: x.name, csvType: sqlType('duckdb', x.type) === 'JSON' ? (mode === 'csvjson' ? 'JSON' : 'VARCHAR') : sqlType('duckdb', x.type) }));
const names = t.columns.map((x) => `"${x.name}"`).join(', ');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let ins = 0;
const sel = mode === 'nocompress' ? '*' : '*';
for (let i = 0; i < n; i++) {
  await c.run('BEGIN'); let a = cpu();
  await c.run(`INSERT INTO ${t.name} (${names}) SELECT ${sel} FROM read_csv('/tmp/prof/full.rows', ${csvOptions(cols)})`);
  ins += cpu() - a; await c.run('COMMIT');
}
const r = await c.runAndReadAll(`select count(*) from ${t.name}`);
console.log(mode, 'insert ms', Math.round(ins), 'rows', r.getRows()[0][0]);
