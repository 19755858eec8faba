/**
 * `npm run emulator [-- --port 9050] [--project parley-demo]`: the local BigQuery the tests use
 * (goccy/bigquery-emulator behind its compatibility front, see bigquery-emulator.ts), kept running
 * for a demo or a dbt session until Ctrl-C. Data live in a temporary SQLite file, gone when it stops.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './bigquery-emulator.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '9050' }, project: { type: 'string', default: 'parley-demo' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`emulator: --port ${values.port}: use a TCP port number, e.g. 9050\n`);
  process.exit(1);
}
const emulator = await startEmulator({ project: values.project, port });
process.stderr.write(
  `BigQuery emulator at ${emulator.url} (project ${values.project}); try: npx parley demo --bigquery ${emulator.url}\nCtrl-C stops it.\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.stop().then(() => process.exit(0));
  });
}
