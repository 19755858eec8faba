/**
 * Once per test run: the dbt venv is made ready before any test needs it, so no test pays for it
 * inside its own timeout. (The CLI under test is dist/, built by `npm test` first; see helpers/cli.ts.)
 */
import { ensureVenv } from '../../connector/transform/venv.js';

export default function setup(): void {
  ensureVenv();
}
