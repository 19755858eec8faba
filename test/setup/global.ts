/**
 * Once per test run: the dbt venv and the BigQuery emulator binary are made ready before any test
 * needs them, so no test pays for them inside its own timeout. Both are cached (`.venv/`,
 * `.tools/bin/`); a cold emulator build takes minutes. (The CLI under test is dist/, built by
 * `npm test` first; see helpers/cli.ts.)
 */
import { ensureVenv } from '../../connector/transform/venv.js';
import { ensureEmulatorBinary } from './bigquery-emulator.js';

export default function setup(): void {
  ensureVenv();
  ensureEmulatorBinary();
}
