/**
 * Sunbird UCI end to end on real parts: the simulator over HTTP (the three headers, the requestId
 * rule, jobs SUBMITTED until its batch runs, re-signed expiring URLs, Spark CSV in three header
 * eras, the password-protected private exhaust) → `parley run` (sync into a DuckDB file + the real
 * dbt CLI) → raw tables and marts checked against the generator's truth
 * (test/helpers/sunbird-truth.ts, computed on its own).
 *
 * Scheduled runs as a user has them: the first submits and ends within its wait, a batch runs, the
 * second loads all but a window whose job failed (requested again under a new tag), another batch,
 * the third loads the retried window. The simulator's clock is fixed a minute before real time; the
 * connector requests windows up to its real yesterday.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { sunbirdUsers } from '../../connector/simulators/sunbird/generator.js';
import { startSunbirdSimulator, type RunningSunbirdSimulator } from '../../connector/simulators/sunbird/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { killAt } from '../helpers/crash-points.js';
import { query } from '../helpers/duckdb.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { sunbirdTruth, type SunbirdTruth } from '../helpers/sunbird-truth.js';

// Whole UTC days throughout: never start within minutes of midnight (the file takes a few).
await clearOfMidnight(6 * 60_000);
const clock = Date.now() - 60_000;
const today = todayUtc(new Date(clock));
const startDate = addDays(today, -4);
const bots = ['sb-e2e-health', 'sb-e2e-farming'];
const generator = { seed: 11, conversationsPerDay: 30, v2From: addDays(today, -3), v3From: addDays(today, -2), invalidEvery: 25 };
const truthAt = (asOfMs: number): SunbirdTruth => sunbirdTruth({ botIds: bots, startDate, untilDay: today, generator, asOfMs });

const simulators: RunningSunbirdSimulator[] = [];
afterAll(async () => Promise.all(simulators.map((s) => s.close())));

async function setup(name: string, extra: Record<string, unknown> = {}) {
  const simulator = await startSunbirdSimulator({ now: () => clock, generator });
  simulators.push(simulator);
  const dir = tempDir(name);
  const database = path.join(dir, 'parley.duckdb');
  const source = {
    vendor: 'sunbird', base_url: simulator.baseUrl, api_key: 'sim-api-key', user_token: 'sim-user-token', channel_id: 'sim-channel', requested_by: 'e2e-user',
    bot_ids: bots, start_date: startDate, job_wait_seconds: 2, ...extra,
  };
  const config = writeJson(dir, 'sync.json', { source, destination: { type: 'duckdb', path: database } });
  return { simulator, database, config, dir };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Raw responses, windows, quarantine and the conversation mart, against the truth. */
async function expectMatchesTruth(database: string, truth: SunbirdTruth): Promise<void> {
  const raw = await query<Record<string, unknown>>(
    database,
    `SELECT bot_id, response_id, message_id, device_id, session_id, question_id, question_title, question_score, eof, file_has_eof, consent_withheld,
            epoch_ms(answered_at) AS answered_ms, strftime(window_start, '%Y-%m-%d') AS window_start FROM raw_sunbird_responses`,
  );
  expect(raw).toHaveLength(truth.responses.size);
  for (const row of raw) {
    const key = row.message_id === null ? `${row.bot_id}|${row.device_id}|${Number(row.answered_ms)}|${row.question_id}` : `${row.bot_id}|${row.message_id}`;
    const t = truth.responses.get(key);
    expect(t, key).toBeDefined();
    expect(
      { session_id: row.session_id, title: row.question_title, score: row.question_score, eof: row.eof, file_has_eof: row.file_has_eof, consent: row.consent_withheld, window: row.window_start },
      key,
    ).toEqual({ session_id: t!.sessionId, title: t!.questionTitle, score: t!.questionScore, eof: t!.eof, file_has_eof: t!.fileHasEof, consent: t!.consentWithheld, window: t!.windowStart });
  }
  const [quarantined] = await query<{ n: number }>(database, "SELECT count(*)::INT AS n FROM _parley_quarantine WHERE source_stream = 'sunbird_responses'");
  expect(quarantined!.n).toBe(truth.quarantined.length);

  const windows = await query<{ bot_id: string; day: string; status: string }>(database, "SELECT bot_id, strftime(window_start, '%Y-%m-%d') AS day, status FROM raw_sunbird_exhaust_windows ORDER BY 1, 2");
  expect(windows).toEqual(truth.windows.map((w) => ({ bot_id: w.botId, day: w.windowStart, status: w.status })).sort((a, b) => (`${a.bot_id}${a.day}` < `${b.bot_id}${b.day}` ? -1 : 1)));

  const conversations = await query<Record<string, unknown>>(
    database,
    `SELECT bot_id, conversation_id, started_at, ended_at, containment_outcome, first_intent, last_intent, first_meaningful_intent,
            visitor_messages_count, not_understood_messages_count FROM fct_conversations WHERE source_system = 'sunbird'`,
  );
  expect(conversations).toHaveLength(truth.conversations.size);
  const byKey = new Map(conversations.map((c) => [`${String(c.bot_id)}|${String(c.conversation_id)}`, c]));
  for (const t of truth.conversations.values()) {
    const id = t.sessionId !== null ? `${t.deviceId}:session:${t.sessionId}` : `${t.deviceId}:day:${t.day}`;
    const row = byKey.get(`${t.botId}|${id}`);
    expect(row, t.key).toBeDefined();
    expect(
      {
        started_at: row!.started_at,
        ended_at: row!.ended_at,
        containment: row!.containment_outcome ?? null,
        first: row!.first_intent,
        last: row!.last_intent,
        meaningful: row!.first_meaningful_intent ?? null,
        visitor: Number(row!.visitor_messages_count),
        not_understood: Number(row!.not_understood_messages_count),
      },
      t.key,
    ).toEqual({
      started_at: iso(t.startedMs),
      ended_at: iso(t.endedMs),
      containment: t.containment,
      first: t.firstIntent,
      last: t.lastIntent,
      meaningful: t.firstMeaningfulIntent,
      visitor: t.visitorMessages,
      not_understood: t.notUnderstoodMessages,
    });
  }
}

/** Every text in every table of the DuckDB file, one string (to look for what must not be there). */
async function warehouseText(database: string): Promise<string> {
  const tables = await query<{ name: string }>(database, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'");
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await query<Record<string, unknown>>(database, `SELECT * FROM "${name}"`);
    parts.push(JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)));
  }
  return parts.join('\n');
}

const pendingOf = (stderr: string) => Number(/jobs pending\s+(\d+)/.exec(stderr)?.[1] ?? NaN);

describe('Sunbird UCI → DuckDB → dbt (three scheduled runs)', () => {
  it('submits and ends within its wait, loads after each batch, requests a failed window again under a new tag, and ends equal to the truth', async () => {
    const { simulator, database, config } = await setup('sunbird-e2e', { include_private_exhaust: true });
    const logs: string[] = [];

    // Run 1: every window (4 days × 2 bots) and a user list per bot submitted; nothing is done yet.
    const started = Date.now();
    const first = await runCli(['sync', '--config', config]);
    const took = Date.now() - started;
    logs.push(first.stderr);
    expect(first.code, first.stderr.slice(-3000)).toBe(0);
    expect(took).toBeLessThan(2_000 + 20_000); // job_wait_seconds, plus start-up and one round of requests
    expect(simulator.stats().jobsCreated).toBe(bots.length * 4 + bots.length);
    expect(pendingOf(first.stderr)).toBe(bots.length * 4 + bots.length);
    expect((await query<{ n: number }>(database, 'SELECT count(*)::INT AS n FROM raw_sunbird_responses'))[0]!.n).toBe(0);

    // The batch runs; one window's job fails there.
    const failing = { botId: bots[0]!, startDate: addDays(today, -3), times: 1, message: 'Job failed: spark executor lost' };
    simulator.setFaults({ failJobs: [failing] });
    simulator.runBatch();

    // Run 2: polls, loads what succeeded; the failed window is requested again (attempt 2: a new tag);
    // that bot's later windows wait behind it in the ledger; the other bot is not held up.
    const second = await runCli(['run', '--config', config]);
    logs.push(second.stderr);
    expect(second.code, second.stderr.slice(-3000)).toBe(0);
    expect(second.stderr).toMatch(/resubmitting \(attempt 2\) because: request [0-9A-F]+ FAILED: Job failed: spark executor lost/);
    const afterSecond = await query<{ bot_id: string; n: number }>(database, 'SELECT bot_id, count(*)::INT AS n FROM raw_sunbird_exhaust_windows GROUP BY 1 ORDER BY 1');
    expect(Object.fromEntries(afterSecond.map((r) => [r.bot_id, r.n]))).toEqual({ [bots[0]!]: 1, [bots[1]!]: 4 });
    expect(simulator.stats().jobsPerWindow[`uci-response-exhaust|${failing.botId}|${failing.startDate}|${failing.startDate}`]).toBe(2);

    simulator.runBatch();
    // Run 3: the retried window and the ones behind it.
    const third = await runCli(['run', '--config', config]);
    logs.push(third.stderr);
    expect(third.code, third.stderr.slice(-3000)).toBe(0);
    expect(pendingOf(third.stderr) || 0).toBe(0);
    const truth = truthAt(clock);
    await expectMatchesTruth(database, truth);
    const [retried] = await query<{ attempts: number }>(database, `SELECT attempts FROM raw_sunbird_exhaust_windows WHERE bot_id = '${failing.botId}' AND window_start = DATE '${failing.startDate}'`);
    expect(retried!.attempts).toBe(2);
    // No window was ever asked twice except the failed one, and no job was asked for twice a day.
    expect(simulator.stats().maxJobsPerWindow).toBe(2);

    // Users: the whole pool per bot; with the default pii, no phone number anywhere — warehouse or logs.
    const users = await query<{ n: number; phones: number; encrypted: number }>(
      database,
      'SELECT count(*)::INT AS n, count(phone)::INT AS phones, count(encrypted_device_id)::INT AS encrypted FROM raw_sunbird_users',
    );
    expect(users[0]).toEqual({ n: truth.users.length, phones: 0, encrypted: 0 });
    const personal = bots.flatMap((bot) => sunbirdUsers(bot, generator)).flatMap((u) => [u.phone, u.encryptedDeviceId]).filter((v) => v !== '');
    expect(personal.length).toBeGreaterThan(10);
    const everything = (await warehouseText(database)) + logs.join('\n');
    for (const value of personal) expect(everything.includes(value), `personal value ${value.slice(0, 8)}… found`).toBe(false);
    expect(everything).not.toMatch(/phone:91\d{6}/);
  }, 600_000);

  it('pii "hash" with an encryption key: the zip opens with the key, phones are HMAC values that join across syncs', async () => {
    const { database, config } = await setup('sunbird-hash', { include_private_exhaust: true, pii: 'hash', pii_key: 'e2e-hmac-key', encryption_key: 'e2e-zip-password', end_date: addDays(today, -4) });
    const [simulator] = simulators.slice(-1);
    expect((await runCli(['sync', '--config', config])).code).toBe(0);
    simulator!.runBatch();
    const result = await runCli(['sync', '--config', config]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const rows = await query<{ device_uuid: string; phone: string | null }>(database, 'SELECT device_uuid, phone FROM raw_sunbird_users');
    const expected = new Map(bots.flatMap((bot) => sunbirdUsers(bot, generator)).map((u) => [u.deviceUuid, u.phone]));
    expect(rows.length).toBe(expected.size);
    const crypto = await import('node:crypto');
    for (const row of rows) {
      const phone = expected.get(row.device_uuid)!;
      expect(row.phone, row.device_uuid).toBe(phone === '' ? null : `hmac:${crypto.createHmac('sha256', 'e2e-hmac-key').update(phone).digest('hex')}`);
    }
  }, 300_000);
});

describe('Sunbird UCI crash and resume', () => {
  it('SIGKILL after a commit, after a submit (before its checkpoint: the next sync gets the same jobs back), mid-download and with records staged: then exactly the truth', async () => {
    // First the two oldest days only (end_date), so that something is committed before every kill.
    const { simulator, database, config } = await setup('sunbird-crash', { end_date: addDays(today, -3), job_wait_seconds: 1 });
    const truth = truthAt(clock);
    const committed = async () => (await query<{ n: number }>(database, 'SELECT count(*)::INT AS n FROM raw_sunbird_responses'))[0]!.n;
    const kill = (point: string) => killAt('sunbird', config, point, committed, truth.responses.size);
    const sync = async () => {
      const result = await runCli(['sync', '--config', config]);
      expect(result.code, result.stderr.slice(-3000)).toBe(0);
    };
    const partials: number[] = [];

    await sync(); // submits the two days' requests and ends within its wait: the batch has not run
    simulator.runBatch();
    partials.push((await kill('commit.done@1')).partial); // the two days loaded, committed, and the process killed before it ends

    // Now up to yesterday: killed once the vendor holds a job the state does not name.
    const written = JSON.parse(fs.readFileSync(config, 'utf8')) as { source: Record<string, unknown> };
    fs.writeFileSync(config, JSON.stringify({ ...written, source: { ...written.source, end_date: undefined } }));
    partials.push((await kill('job.submitted@1')).partial);
    const createdBefore = simulator.stats().jobsCreated;
    // The same day: the same tags, so the server answers with the jobs it has, creating none for those windows.
    await sync();
    expect(simulator.stats().maxJobsPerWindow).toBe(1);
    expect(simulator.stats().jobsCreated).toBe(bots.length * 4);
    expect(createdBefore).toBeGreaterThan(bots.length * 2);

    simulator.runBatch();
    partials.push((await kill('download.mid-file@1')).partial); // a result file's first rows handed on, the rest unread
    partials.push((await kill('records.staged@1')).partial); // every pending window read and staged, the commit not begun
    expect([...partials].sort((a, b) => a - b)).toEqual(partials);

    const last = await runCli(['run', '--config', config]);
    expect(last.code, last.stderr.slice(-3000)).toBe(0);
    expect(simulator.stats().jobsCreated).toBe(bots.length * 4);
    await expectMatchesTruth(database, truth);
  }, 600_000);
});
