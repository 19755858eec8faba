import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:'); const c = await inst.connect();
for (const q of [`select distinct function_name from duckdb_functions() where function_name ilike '%reinterp%' or function_name ilike '%json%' order by 1`,
  `select typeof(x::JSON) from (select '{"a":1}' x)`]) {
  try { const r = await c.runAndReadAll(q); console.log(r.getRows().map(r=>r.join('|')).join(', ')); } catch (e) { console.log('ERR', e.message); }
}
