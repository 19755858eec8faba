/**
 * BigQuery credential and project mistakes through `parley sync`: a key file path where the key's
 * text belongs (the file missing), text that is not JSON, JSON that is not a service-account key, a
 * GOOGLE_APPLICATION_CREDENTIALS file that does not exist, and a project the endpoint does not have
 * (the local emulator). Each exits 1 with a configuration error naming the destination field and
 * the fix — no stack trace, no secret echoed — before the source is asked anything; the same config
 * with the right project syncs.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { startEmulator } from '../setup/bigquery-emulator.js';

const PROJECT = 'parley-edge-creds';
const FAKE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-edge-test-not-a-real-key\n-----END PRIVATE KEY-----\n';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let simulator: RunningUltimateSimulator;
const dir = tempDir('bq-creds');

beforeAll(async () => {
  emulator = await startEmulator({ project: PROJECT });
  simulator = await startUltimateSimulator({ today: todayUtc(), generator: { seed: 3, conversationsPerDay: 5 } });
});
afterAll(async () => {
  await simulator?.close();
  await emulator?.stop();
});

function sync(name: string, destination: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const source = { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: ['creds-bot'], start_date: addDays(todayUtc(), -1) };
  const file = writeJson(dir, `${name}.json`, { source, destination: { type: 'bigquery', project_id: PROJECT, dataset: `creds_${name}`, ...destination } });
  return runCli(['sync', '--config', file], { env });
}

const cases: Array<{ name: string; destination: Record<string, unknown>; env?: NodeJS.ProcessEnv; expected: RegExp }> = [
  {
    name: 'key_path',
    destination: { credentials_json: path.join(dir, 'missing-key.json'), api_endpoint: 'http://127.0.0.1:9' },
    // The value of a secret field is redacted wherever it appears, even a path pasted by mistake.
    expected: /destination\.credentials_json: this field takes the key's JSON text, not a file path \(and there is no file "\*\*\*"\): paste the contents of the service-account key file/,
  },
  {
    name: 'malformed',
    destination: { credentials_json: `{"type": "service_account", "client_email": "sync@p.iam.gserviceaccount.com", "private_key": ${JSON.stringify(FAKE_KEY)}`, api_endpoint: 'http://127.0.0.1:9' },
    expected: /destination\.credentials_json: not valid JSON: paste the whole service-account key file/,
  },
  {
    name: 'user_credential',
    destination: { credentials_json: JSON.stringify({ type: 'authorized_user', client_id: 'x.apps.googleusercontent.com', client_secret: 'user-secret-edge', refresh_token: 'r' }), api_endpoint: 'http://127.0.0.1:9' },
    expected: /destination\.credentials_json: a "authorized_user" credential, not a service-account key: create a JSON key for a service account/,
  },
  {
    name: 'no_private_key',
    destination: { credentials_json: JSON.stringify({ type: 'service_account', client_email: 'sync@p.iam.gserviceaccount.com' }), api_endpoint: 'http://127.0.0.1:9' },
    expected: /destination\.credentials_json: a service-account key needs private_key; create a JSON key/,
  },
  {
    // No credentials_json and no endpoint: Application Default Credentials, from a file that is not there.
    name: 'adc_file_missing',
    destination: {},
    env: { GOOGLE_APPLICATION_CREDENTIALS: path.join(dir, 'adc-key-gone.json') },
    expected: /destination\.credentials_json: not given, so Application Default Credentials are used, and GOOGLE_APPLICATION_CREDENTIALS names a key file that does not exist \(.*adc-key-gone\.json\)\. Point the variable at the service-account key file/,
  },
];

describe('BigQuery credentials and project mistakes', () => {
  it.each(cases)('$name: a configuration error naming the field and the fix', async ({ name, destination, env, expected }) => {
    const result = await sync(name, destination, env);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/parley sync: configuration error: /);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
    expect(result.stderr).not.toMatch(/edge-test-not-a-real-key|user-secret-edge/);
    // It stopped before the source: no Ultimate request was logged.
    expect(result.stderr).not.toMatch(/ultimate_conversations/);
  });

  it('a project the endpoint does not have names destination.project_id; the right project syncs', async () => {
    const wrong = await sync('wrong_project', { project_id: 'someone-elses-project', api_endpoint: emulator.url });
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stderr).toMatch(
      /parley sync: configuration error: destination\.project_id: project "someone-elses-project" was not found, or these credentials cannot see it .*Use the project ID \(Cloud console → project picker\)/,
    );
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
    const right = await sync('right_project', { api_endpoint: emulator.url });
    expect(right.code, right.stderr).toBe(0);
  });
});
