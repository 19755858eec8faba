/**
 * Secrets, everywhere: for each vendor, real `parley` processes against its simulator with fresh
 * credentials and the faults that make a connector talk (5xx, 429, bodies cut off, expired signed
 * URLs, expired or refused tokens, a failing bot, a wrong key, a SIGKILL mid-sync and the resume),
 * and a `parley transform` whose dbt output carries the BigQuery key. Everything they leave is
 * gathered — stdout and stderr at debug level, every table and view of the DuckDB file (state,
 * quarantine, raw, marts; every column as text), dbt's log and target folders — and searched for
 * every configured secret and every credential the simulators issued (access tokens, JWTs, URL
 * signatures), in every spelling (test/helpers/secret-scan.ts): none may appear. The scan itself is
 * shown to find a planted secret, so a clean result means something.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { signHs256 } from '../../connector/core/jwt.js';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { startKoreSimulator } from '../../connector/simulators/kore/server.js';
import { startSunbirdSimulator } from '../../connector/simulators/sunbird/server.js';
import { startUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { CLI, ROOT, runCli, tempDir, writeJson, type CliResult } from '../helpers/cli.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { catalog } from '../helpers/protocol.js';
import { dumpDuckDb, filesText, freshSecret, secretsIn } from '../helpers/secret-scan.js';

await clearOfMidnight(6 * 60_000);
const today = todayUtc();
const env = { PARLEY_LOG_LEVEL: 'debug' };

/** What one vendor's runs left behind, and the secrets none of it may hold. */
class Scan {
  readonly texts: string[] = [];
  readonly secrets: Record<string, string> = {};

  constructor(secrets: Record<string, string>) {
    Object.assign(this.secrets, secrets);
  }

  issued(kind: string, values: string[]): void {
    expect(values.length, `the simulator issued ${kind}s`).toBeGreaterThan(0);
    values.forEach((value, i) => (this.secrets[`${kind} #${i + 1}`] = value));
  }

  async cli(args: string[], expectedCode: number | 'nonzero' = 0): Promise<CliResult> {
    const result = await runCli(args, { env });
    this.texts.push(result.stdout, result.stderr);
    if (expectedCode === 'nonzero') expect(result.code, result.stderr.slice(-1500)).not.toBe(0);
    else expect(result.code, result.stderr.slice(-1500)).toBe(expectedCode);
    return result;
  }

  /** SIGKILL once the sync has logged its first commit (mid-sync: more windows follow), then a sync that resumes. */
  async crashAndResume(config: string): Promise<void> {
    const killed = await syncKilledOnLine(config, /DEBUG \[duckdb\] commit: /);
    this.texts.push(killed.stdout, killed.stderr);
    expect(killed.signal, killed.stderr.slice(-1500)).toBe('SIGKILL');
    await this.cli(['sync', '--config', config]);
  }

  /** Adds every table of the database and dbt's folders beside it, then: no secret anywhere (in at least `minChars` of text: the scan read something). */
  async expectClean(database?: string, minChars = 1000): Promise<void> {
    if (database) this.texts.push(await dumpDuckDb(database), filesText(`${database}.dbt`));
    const everything = this.texts.join('\n');
    expect(everything.length).toBeGreaterThan(minChars);
    expect(secretsIn(everything, this.secrets)).toEqual([]);
  }
}

/** `parley sync` SIGKILLed as soon as a stderr line matches `pattern`. */
function syncKilledOnLine(config: string, pattern: RegExp): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sync', '--config', config], { cwd: ROOT, env: { ...process.env, PARLEY_HTTP_RETRY_BASE_MS: '20', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (pattern.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('the scan', () => {
  it('finds a planted secret in any spelling, in a control string and in any column of any table or view', async () => {
    const secret = freshSecret('planted');
    const other = freshSecret('absent');
    for (const text of [`x ${secret} y`, JSON.stringify({ key: `a"${secret}\n` }), `https://h/p?k=${encodeURIComponent(`${secret}/+`)}`, Buffer.from(secret).toString('base64')]) {
      expect(secretsIn(text, { secret, other }), text).toEqual(['secret']);
    }
    const database = path.join(tempDir('scan-control'), 'c.duckdb');
    const instance = await DuckDBInstance.create(database);
    const connection = await instance.connect();
    await connection.run(`CREATE SCHEMA s; CREATE TABLE s.t (id INT, doc JSON, raw BLOB); INSERT INTO s.t VALUES (1, '{"x": "ok"}', 'ok'::BLOB), (2, '{"x": ["${secret}"]}', 'none'::BLOB)`);
    await connection.run(`CREATE TABLE u (b BLOB); INSERT INTO u VALUES ('${other}'::BLOB); CREATE VIEW v AS SELECT 'view ' || '${other}' AS s`);
    connection.closeSync();
    instance.closeSync();
    const dump = await dumpDuckDb(database);
    expect(secretsIn(dump, { secret, other })).toEqual(['secret', 'other']);
  });
});

describe('no secret in any log, table or dbt output', () => {
  it('Ultimate: 5xx, cut-off bodies, expired signed URLs, a failing bot, a crash, a wrong key, and `read`', async () => {
    const apiKey = freshSecret('ultimate-key');
    const scan = new Scan({ apiKey, wrongKey: freshSecret('ultimate-wrong') });
    const simulator = await startUltimateSimulator({
      apiKey, organizationId: 'sec-org', generator: { seed: 5, conversationsPerDay: 8, invalidEvery: 5 },
      faults: { serverErrorEvery: 4, truncateEvery: 3, expireFirstDownload: true, failBot: 'sec-broken' },
    });
    closers.push(() => simulator.close());
    const dir = tempDir('secrets-ultimate');
    const database = path.join(dir, 'u.duckdb');
    const source = { vendor: 'ultimate', base_url: simulator.url, api_key: apiKey, organization_id: 'sec-org', bot_ids: ['sec-bot', 'sec-broken'], start_date: addDays(today, -3) };
    const config = writeJson(dir, 'sync.json', { source, destination: { type: 'duckdb', path: database } });
    const failed = await scan.cli(['sync', '--config', config], 1); // the broken bot fails, the other loads
    expect(failed.stderr).toContain('sec-broken');
    await scan.crashAndResume(writeJson(dir, 'one-bot.json', { source: { ...source, bot_ids: ['sec-bot-2'] }, destination: { type: 'duckdb', path: database } }));
    await scan.cli(['read', '--config', writeJson(dir, 'source.json', { ...source, bot_ids: ['sec-bot'] }), '--catalog', writeJson(dir, 'catalog.json', catalog(['ultimate_conversations']))]);
    const refused = await scan.cli(['sync', '--config', writeJson(dir, 'wrong.json', { source: { ...source, api_key: scan.secrets.wrongKey }, destination: { type: 'duckdb', path: database } })], 'nonzero');
    expect(refused.stderr).toMatch(/401/);
    const statuses = [...simulator.stats().downloads, ...simulator.stats().signedUrlRequests].map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining([503, 403, 500, 401]));
    scan.issued('URL signature', simulator.issuedSignatures());
    await scan.expectClean(database);
  });

  it('Genesys: tokens that expire mid-sync, 429s, failed jobs, a crash after the first commit, a wrong secret', async () => {
    const clientSecret = freshSecret('genesys-secret');
    const wrongSecret = freshSecret('genesys-wrong');
    const scan = new Scan({ clientSecret, wrongSecret, basic: Buffer.from(`sec-client:${clientSecret}`).toString('base64') });
    const base = Date.parse(`${addDays(today, -1)}T00:00:00.000Z`);
    const started = Date.now();
    const simulator = await startGenesysSimulator({
      clientId: 'sec-client', clientSecret, now: () => base + (Date.now() - started) * 20, generator: { seed: 7, conversationsPerDay: 30, invalidEvery: 9 },
      faults: { availabilityLagHours: 0, rateLimitEvery: 4, retryAfterSeconds: 0, failEvery: 5, tokenLifetimeSeconds: 3, slowMs: 10 },
    });
    closers.push(() => simulator.close());
    const dir = tempDir('secrets-genesys');
    const database = path.join(dir, 'g.duckdb');
    const source = {
      vendor: 'genesys', client_id: 'sec-client', client_secret: clientSecret, start_date: addDays(today, -3), base_url: simulator.url, login_url: simulator.url,
      page_size: 15, job_poll_seconds: 0.02, max_requests_per_minute: 6000,
    };
    const config = writeJson(dir, 'sync.json', { source, destination: { type: 'duckdb', path: database } });
    await scan.crashAndResume(config);
    await scan.cli(['sync', '--config', config]);
    const refused = await scan.cli(['sync', '--config', writeJson(dir, 'wrong.json', { source: { ...source, client_secret: wrongSecret }, destination: { type: 'duckdb', path: database } })], 'nonzero');
    expect(refused.stderr).toMatch(/refused the client credentials/);
    expect(simulator.stats().unauthorized).toBeGreaterThan(0);
    scan.issued('access token', simulator.issuedTokens());
    expect(Object.keys(scan.secrets).length).toBeGreaterThan(4); // tokens expired and were issued again
    await scan.expectClean(database);
  });

  it('Kore.ai: minted JWTs under 5xx, 429 storms and cut-off bodies, a crash, a refused token, an expired given JWT', async () => {
    const clientSecret = freshSecret('kore-secret');
    const nowS = Math.floor(Date.now() / 1000);
    const expiredJwt = signHs256({ appId: 'sec-kore', sub: 'x', iat: nowS - 7200, exp: nowS - 3600 }, clientSecret);
    const scan = new Scan({ clientSecret, expiredJwt });
    const clock = Date.now() - 2 * 3_600_000;
    const simulator = await startKoreSimulator({
      clientId: 'sec-kore', clientSecret, now: () => clock, generator: { seed: 9, sessionsPerDay: 20, invalidEvery: 7 },
      faults: { serverErrorEvery: 5, truncateEvery: 4, rateLimitStorm: 2, retryAfterSeconds: 0 },
    });
    closers.push(() => simulator.close());
    const dir = tempDir('secrets-kore');
    const database = path.join(dir, 'k.duckdb');
    const source = { vendor: 'kore', base_url: simulator.url, client_id: 'sec-kore', client_secret: clientSecret, bot_ids: ['st-sec-1', 'st-sec-2'], start_date: addDays(today, -2) };
    const config = writeJson(dir, 'sync.json', { source, destination: { type: 'duckdb', path: database } });
    await scan.crashAndResume(config);
    const { client_secret: _secret, ...withoutSecret } = source;
    const expired = await scan.cli(['sync', '--config', writeJson(dir, 'expired.json', { source: { ...withoutSecret, jwt: expiredJwt }, destination: { type: 'duckdb', path: database } })], 'nonzero');
    expect(expired.stderr).toMatch(/token expired/);
    simulator.setFaults({ unauthorized: true });
    const refused = await scan.cli(['sync', '--config', config], 'nonzero');
    expect(refused.stderr).toMatch(/401/);
    expect(simulator.stats().serverErrors).toBeGreaterThan(0);
    scan.issued('JWT', simulator.acceptedTokens());
    await scan.expectClean(database);
  });

  it('Sunbird: api key, user token, pii key and zip password through refused and failing downloads, a crash, a wrong token, and dbt', async () => {
    const secrets = { apiKey: freshSecret('sunbird-key'), userToken: freshSecret('sunbird-user'), piiKey: freshSecret('sunbird-pii'), zipPassword: freshSecret('sunbird-zip'), wrongToken: freshSecret('sunbird-wrong') };
    const scan = new Scan(secrets);
    const clock = Date.now() - 60_000;
    const simulator = await startSunbirdSimulator({
      apiKey: secrets.apiKey, userToken: secrets.userToken, now: () => clock, batchEverySeconds: 'immediate', generator: { seed: 13, conversationsPerDay: 12, invalidEvery: 6 },
      faults: { refuseDownloads: 2, serverErrorEvery: 7, truncateEvery: 5 },
    });
    closers.push(() => simulator.close());
    const dir = tempDir('secrets-sunbird');
    const database = path.join(dir, 's.duckdb');
    const source = {
      vendor: 'sunbird', base_url: simulator.baseUrl, api_key: secrets.apiKey, user_token: secrets.userToken, channel_id: 'sec-channel', requested_by: 'sec-user',
      bot_ids: ['sb-sec-1'], start_date: addDays(today, -3), job_wait_seconds: 5,
      include_private_exhaust: true, pii: 'hash', pii_key: secrets.piiKey, encryption_key: secrets.zipPassword,
    };
    const config = writeJson(dir, 'sync.json', { source, destination: { type: 'duckdb', path: database } });
    await scan.crashAndResume(config);
    await scan.cli(['run', '--config', config]); // sync, then dbt build: its output goes through the redactor
    // A fresh warehouse, so there is something to request with the wrong token.
    const refusedDatabase = path.join(dir, 'refused.duckdb');
    const refused = await scan.cli(['sync', '--config', writeJson(dir, 'wrong.json', { source: { ...source, user_token: secrets.wrongToken }, destination: { type: 'duckdb', path: refusedDatabase } })], 'nonzero');
    expect(refused.stderr).toMatch(/403/);
    scan.texts.push(await dumpDuckDb(refusedDatabase));
    expect(simulator.stats()).toMatchObject({ refusedDownloads: expect.any(Number), forbidden: expect.any(Number) });
    expect(simulator.stats().refusedDownloads).toBeGreaterThan(0);
    expect(simulator.stats().forbidden).toBeGreaterThan(0);
    scan.issued('URL signature', simulator.issuedSignatures());
    await scan.expectClean(database);
  });

  // dbt echoes an invalid profile credential in full ("Credentials in profile … invalid: '<key>'"); Parley
  // now refuses such a key when it reads the config, before dbt runs, and the echo path itself is
  // covered by test/unit/dbt-output.test.ts and the Sunbird `parley run` above.
  it('BigQuery: a key pasted in the wrong form is refused naming credentials_json, without the key, in `transform` and `sync`', async () => {
    const privateKey = `-----BEGIN PRIVATE KEY-----\n${freshSecret('bq-private-key')}\n-----END PRIVATE KEY-----\n`;
    const keyFile = JSON.stringify({ type: 'service_account', project_id: 'sec-project', private_key_id: freshSecret('bq-key-id'), private_key: privateKey, client_email: 'x@sec-project.iam.gserviceaccount.com' });
    const pasted = Buffer.from(keyFile).toString('base64'); // base64 of the key file, as CI secret stores often hold it
    const scan = new Scan({ pasted, privateKey, keyFile });
    const dir = tempDir('secrets-bigquery');
    const dataset = `sec_${Date.now()}`;
    const config = writeJson(dir, 'sync.json', {
      source: { vendor: 'ultimate', api_key: freshSecret('unused'), organization_id: 'o', bot_ids: ['b'], start_date: addDays(today, -2) },
      destination: { type: 'bigquery', project_id: 'sec-project', dataset, api_endpoint: 'http://127.0.0.1:9', credentials_json: pasted },
    });
    const transform = await scan.cli(['transform', '--config', config], 'nonzero');
    expect(transform.stderr).toMatch(/credentials_json: not valid JSON/);
    const sync = await scan.cli(['sync', '--config', config], 'nonzero');
    expect(sync.stderr).toMatch(/credentials_json: not valid JSON/);
    scan.texts.push(filesText(path.join(os.tmpdir(), `parley-dbt-sec-project-${dataset}`))); // dbt's log folder, if dbt ran at all
    await scan.expectClean(undefined, 200); // two short refusals
  });
});
