/**
 * The contract the Ultimate and Genesys sources pass, for Kore.ai: `parley read` against the
 * simulator over HTTP, every stdout line a valid Airbyte message, states after the records they
 * cover, the sessions the truth says, an incremental second read from the emitted state that asks
 * only for the lookback window and the one still filling, errors as CONNECTION_STATUS / TRACE
 * messages, secrets (the client secret, every JWT) never printed, and SIGTERM committing what was
 * read.
 *
 * Two clocks: the simulator's data clock is fixed two hours before real time; the connector's clock
 * is real time. So the tokens the connector mints (exp = real now + 1 h) are valid for the
 * simulator, and every session the simulator serves started before the connector's "now".
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import type { AirbyteMessage } from '../../connector/protocol/messages.js';
import { startKoreSimulator, type RunningKoreSimulator } from '../../connector/simulators/kore/server.js';
import { expectCanonical } from '../helpers/airbyte-schema.js';
import { CLI, messages, runCli, tempDir, writeJson } from '../helpers/cli.js';
import { koreTruth } from '../helpers/kore-truth.js';
import { catalog, expectProtocolInvariants, expectRecordsMatchDiscover } from '../helpers/protocol.js';
import { cursors } from '../helpers/state.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SECRET = 'kore-secret-protocol-5c1d';
const CLIENT_ID = 'sim-client-id';
const BOTS = ['st-proto-a', 'st-proto-b'];
const STREAMS = ['kore_sessions', 'kore_session_windows', 'kore_intents', 'kore_intent_windows', '_parley_quarantine'];
const SESSION_STREAMS = ['kore_sessions', 'kore_session_windows', '_parley_quarantine'];
const generator = { seed: 29, sessionsPerDay: 6, invalidEvery: 4 };
/** Any compact JWT (what the connector sends in `auth`): it must never be printed. */
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

let today = '';
let startDate = '';
let clock = 0; // the simulator's data clock: fixed, two hours behind real time
let simulator: RunningKoreSimulator;
let instance = '';
const dir = tempDir('kore-protocol');
let configFile: string;
const source = (extra: Record<string, unknown> = {}) => ({
  vendor: 'kore', base_url: simulator.url, client_id: CLIENT_ID, client_secret: SECRET, bot_ids: BOTS, start_date: startDate,
  window_hours: 24, lookback_hours: 24, page_size: 100, max_requests_per_minute: 60, ...extra,
});
const iso = (ms: number) => new Date(ms).toISOString();
const midnight = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
/** An HS256 JWT signed here with node:crypto alone (not the connector's signer). */
function signJwt(payload: Record<string, unknown>, secret: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
type Data = Record<string, unknown>;
const recordsOf = (all: AirbyteMessage[], stream: string): Data[] =>
  all.flatMap((m) => (m.type === 'RECORD' && m.record.stream === stream ? [m.record.data as Data] : []));
const lastState = (all: AirbyteMessage[], stream: string) =>
  (all.filter((m) => m.type === 'STATE' && m.state.stream.stream_descriptor.name === stream).at(-1) as { state: { stream: { stream_state: Data } } } | undefined)?.state;
const errorsOf = (all: AirbyteMessage[]) => all.filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR') as { trace: { error: { message: string; failure_type?: string } } }[];

beforeAll(async () => {
  // Windows are whole UTC days here: keep the test off a midnight so "today" holds for every read.
  const toMidnight = DAY - (Date.now() % DAY);
  if (toMidnight < 30_000) await new Promise((r) => setTimeout(r, toMidnight + 1_000));
  today = todayUtc();
  startDate = addDays(today, -3);
  clock = Date.now() - 2 * HOUR;
  // The connector keeps Kore's per-bot budget itself; the simulator's limiter must not slow the test.
  simulator = await startKoreSimulator({ now: () => clock, clientId: CLIENT_ID, clientSecret: SECRET, generator, faults: { perMinute: 100_000, perHour: 100_000 } });
  instance = `${new URL(simulator.url).host}/${CLIENT_ID}`;
  configFile = writeJson(dir, 'source.json', source());
});
afterAll(async () => simulator?.close());

describe('parley read (Kore.ai)', () => {
  let first: AirbyteMessage[];
  let output = '';

  it('emits valid messages, each STATE after its records, and the sessions the truth says', async () => {
    // The server caps pages at 3 whatever limit asks: paging must advance by what arrived.
    simulator.setFaults({ limitCap: 3 });
    simulator.resetStats();
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'catalog.json', catalog(STREAMS))]);
    simulator.setFaults({ limitCap: 100 });
    expect(result.code, result.stderr).toBe(0);
    output = result.stdout + result.stderr;
    first = messages(result.stdout);
    expectProtocolInvariants(first, STREAMS);
    expectRecordsMatchDiscover(first, messages((await runCli(['discover', '--config', configFile])).stdout));
    for (const bot of BOTS) {
      // Four days (three closed, today still filling) × five listings (three containment types, two intent kinds): more pages than that.
      const stats = simulator.stats().bots[bot]!;
      const pages = Object.values(stats.getSessions).reduce((a, b) => a + b, 0) + Object.values(stats.getAnalytics).reduce((a, b) => a + b, 0);
      expect(pages, bot).toBeGreaterThan(4 * 5);
      expect(stats.cappedPages, bot).toBe(pages);
      expect(stats.rateLimited, bot).toBe(0);
    }

    const truth = koreTruth({ botIds: BOTS, startDate, untilMs: clock + 1, asOfMs: clock, generator });
    expect(truth.invalid.length).toBeGreaterThan(0);
    const sessions = recordsOf(first, 'kore_sessions');
    // A window's sessions may come again on a later page; every truth session comes, nothing else.
    const key = (bot: unknown, id: unknown) => `${String(bot)}/${String(id)}`;
    expect(new Set(sessions.map((s) => key(s.bot_id, s.session_id)))).toEqual(new Set(truth.sessions.map((t) => key(t.botId, t.sessionId))));
    for (const bot of BOTS) {
      expect(new Set(sessions.filter((s) => s.bot_id === bot).map((s) => s.session_id)), bot).toEqual(new Set(truth.sessions.filter((t) => t.botId === bot).map((t) => t.sessionId)));
    }
    const outcome = { contained: 'selfService', escalated: 'agent', abandoned: 'dropOff' } as const;
    const byKey = new Map(sessions.map((s) => [key(s.bot_id, s.session_id), s]));
    for (const t of truth.sessions) {
      const s = byKey.get(key(t.botId, t.sessionId))!;
      expect(s, t.sessionId).toMatchObject({ source_instance: instance, started_at: iso(t.startMs), ended_at: t.endMs === null ? null : iso(t.endMs), channel: t.channel, is_developer: t.isTest });
      if (t.containment !== null) expect(s.containment_type, t.sessionId).toBe(outcome[t.containment]);
      // pii "drop" (the default): an e-mail or phone user id is not stored; Kore's own ids are.
      expect(s.user_id, t.sessionId).toBe(t.userIdPersonal ? null : t.userId);
    }
    const quarantined = recordsOf(first, '_parley_quarantine');
    expect(new Set(quarantined.filter((q) => q.source_stream === 'kore_sessions').map((q) => q.locator))).toEqual(new Set(truth.invalid.map((t) => `bot=${t.botId} session=${t.sessionId}`)));
    for (const q of quarantined) expect(q.reason).toMatch(/start_time/);

    const intents = recordsOf(first, 'kore_intents');
    expect(intents.filter((i) => i.kind === 'success')).toHaveLength(truth.intentRows.success);
    expect(intents.filter((i) => i.kind === 'fail')).toHaveLength(truth.intentRows.fail);

    // One completeness row per bot per closed day; the one still filling (today) has none. Settled once read a lookback after its end.
    const windows = recordsOf(first, 'kore_session_windows');
    const closed = [-3, -2, -1].map((i) => iso(midnight(addDays(today, i))));
    for (const bot of BOTS) {
      const rows = windows.filter((w) => w.bot_id === bot);
      expect(rows.map((w) => w.window_start), bot).toEqual(closed);
      expect(rows.map((w) => w.settled), bot).toEqual([true, true, false]);
    }
    expect(recordsOf(first, 'kore_intent_windows').map((w) => `${String(w.bot_id)} ${String(w.window_start)}`).sort()).toEqual(BOTS.flatMap((b) => closed.map((c) => `${b} ${c}`)).sort());
  });

  it('the state: per bot, the cursor at the start of the window still filling (today)', () => {
    const expected = cursors(instance, Object.fromEntries(BOTS.map((b) => [b, iso(midnight(today))])));
    for (const stream of ['kore_sessions', 'kore_session_windows', 'kore_intents', 'kore_intent_windows']) expect(lastState(first, stream)?.stream.stream_state, stream).toEqual(expected);
  });

  it('never prints the client secret, a JWT or a personal user id', () => {
    expect(output).not.toContain(SECRET);
    expect(output).not.toMatch(JWT);
    const truth = koreTruth({ botIds: BOTS, startDate, untilMs: clock + 1, asOfMs: clock, generator });
    expect(truth.personalUserIds.length).toBeGreaterThan(0);
    for (const id of truth.personalUserIds) expect(output, id).not.toContain(id);
  });

  it('reads incrementally from the emitted state: only the lookback window and the one still filling', async () => {
    const state = lastState(first, 'kore_sessions')!;
    simulator.resetStats();
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'c1.json', catalog(SESSION_STREAMS)), '--state', writeJson(dir, 'state.json', [state])]);
    expect(result.code, result.stderr).toBe(0);
    const out = messages(result.stdout);
    expectProtocolInvariants(out, SESSION_STREAMS);
    // Pages are not capped now: one getSessions request per containment type per window, per bot,
    // for yesterday (re-read, lookback_hours 24) and today (still filling) — nothing before.
    for (const bot of BOTS) {
      expect(simulator.stats().bots[bot]?.getSessions, bot).toEqual({ dropOff: 2, selfService: 2, agent: 2, all: 0 });
      expect(simulator.stats().bots[bot]?.getAnalytics, bot).toEqual({ successintent: 0, failintent: 0 });
    }
    expect(recordsOf(out, 'kore_session_windows').map((w) => `${String(w.bot_id)} ${String(w.window_start)} ${String(w.settled)}`).sort()).toEqual(BOTS.map((b) => `${b} ${iso(midnight(addDays(today, -1)))} false`));
    const truth = koreTruth({ botIds: BOTS, startDate: addDays(today, -1), untilMs: clock + 1, asOfMs: clock, generator });
    const key = (bot: unknown, id: unknown) => `${String(bot)}/${String(id)}`;
    expect(new Set(recordsOf(out, 'kore_sessions').map((s) => key(s.bot_id, s.session_id)))).toEqual(new Set(truth.sessions.map((t) => key(t.botId, t.sessionId))));
    expect(new Set(recordsOf(out, '_parley_quarantine').map((q) => q.locator))).toEqual(new Set(truth.invalid.map((t) => `bot=${t.botId} session=${t.sessionId}`)));
    expect(lastState(out, 'kore_sessions')?.stream.stream_state).toEqual(state.stream.stream_state); // today is still filling: no further
    expect(result.stdout + result.stderr).not.toMatch(JWT);
  });

  it('check: succeeds with one getSessions call per bot; a wrong secret fails naming the credentials and the API scopes', async () => {
    simulator.resetStats();
    const good = await runCli(['check', '--config', configFile]);
    const ok = messages(good.stdout);
    expect(ok).toMatchObject([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
    expectCanonical('AirbyteConnectionStatus', (ok[0] as { connectionStatus: unknown }).connectionStatus, 'check SUCCEEDED');
    for (const bot of BOTS) {
      expect(simulator.stats().bots[bot], bot).toMatchObject({ requests: 1, getSessions: { dropOff: 0, selfService: 1, agent: 0, all: 0 }, getAnalytics: { successintent: 0, failintent: 0 } });
    }
    expect(Object.keys(simulator.stats().bots).sort()).toEqual(BOTS);

    const wrong = 'kore-wrong-secret-8e2b';
    const badFile = writeJson(dir, 'bad.json', source({ client_secret: wrong }));
    const bad = await runCli(['check', '--config', badFile]);
    expect(bad.code).toBe(0);
    const failed = messages(bad.stdout);
    expect(failed).toMatchObject([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: expect.stringMatching(/refused the credentials.*401.*client_id and client_secret.*API scopes/) } }]);
    expectCanonical('AirbyteConnectionStatus', (failed[0] as { connectionStatus: unknown }).connectionStatus, 'check FAILED');

    const read = await runCli(['read', '--config', badFile, '--catalog', writeJson(dir, 'c-bad.json', catalog(['kore_sessions']))]);
    expect(read.code).toBe(1);
    const out = messages(read.stdout);
    expect(errorsOf(out)).toMatchObject([{ trace: { error: { failure_type: 'config_error', message: expect.stringMatching(/client_id and client_secret.*API scopes/) } } }]);
    expect((out.at(-2) as { trace?: { stream_status?: { status: string } } }).trace?.stream_status?.status).toBe('INCOMPLETE');
    for (const text of [good.stdout, good.stderr, bad.stdout, bad.stderr, read.stdout, read.stderr]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(JWT);
    }
  });

  it('a bad setting (window_hours 168) fails check naming the field, without a stack trace', async () => {
    const invalid = await runCli(['check', '--config', writeJson(dir, 'invalid.json', source({ window_hours: 168 }))]);
    expect(invalid.code).toBe(0);
    const [status] = messages(invalid.stdout);
    expect(status).toMatchObject({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: expect.stringMatching(/window_hours.*under 168/) } });
    expect(invalid.stdout + invalid.stderr).not.toMatch(/\n\s+at /);
    expect(invalid.stdout + invalid.stderr).not.toContain(SECRET);
  });

  it('a given jwt works instead of client_secret; an expired one is a config error naming jwt', async () => {
    const { client_secret: _secret, ...withoutSecret } = source();
    const iat = Math.floor(Date.now() / 1000);
    const token = signJwt({ appId: CLIENT_ID, sub: 'x', iat, exp: iat + 3600 }, SECRET);
    simulator.resetStats();
    const given = writeJson(dir, 'jwt.json', { ...withoutSecret, jwt: token });
    const check = await runCli(['check', '--config', given]);
    expect(messages(check.stdout)).toMatchObject([{ connectionStatus: { status: 'SUCCEEDED' } }]);
    const read = await runCli(['read', '--config', given, '--catalog', writeJson(dir, 'c-jwt.json', catalog(['kore_sessions']))]);
    expect(read.code, read.stderr).toBe(0);
    expectProtocolInvariants(messages(read.stdout), ['kore_sessions']);
    expect(simulator.stats().unauthorized).toBe(0);
    for (const text of [check.stdout, check.stderr, read.stdout, read.stderr]) expect(text).not.toContain(token);

    const expired = signJwt({ appId: CLIENT_ID, sub: 'x', iat: iat - 3700, exp: iat - 100 }, SECRET);
    const old = writeJson(dir, 'jwt-expired.json', { ...withoutSecret, jwt: expired });
    const failedRead = await runCli(['read', '--config', old, '--catalog', writeJson(dir, 'c-jwt2.json', catalog(['kore_sessions']))]);
    expect(failedRead.code).toBe(1);
    expect(errorsOf(messages(failedRead.stdout))).toMatchObject([{ trace: { error: { failure_type: 'config_error', message: expect.stringMatching(/^jwt: the token expired at .*client_secret/) } } }]);
    const failedCheck = await runCli(['check', '--config', old]);
    expect(messages(failedCheck.stdout)).toMatchObject([{ connectionStatus: { status: 'FAILED', message: expect.stringMatching(/^jwt: the token expired/) } }]);
    for (const text of [failedRead.stdout, failedRead.stderr, failedCheck.stdout, failedCheck.stderr]) expect(text).not.toMatch(JWT);
  });

  it('SIGTERM during a read: it exits promptly, the STATEs it committed are valid and the next read resumes from them', async () => {
    simulator.setFaults({ slowMs: 150 });
    simulator.resetStats();
    const slowStart = addDays(today, -6);
    const slowCatalog = writeJson(dir, 'c-slow.json', catalog(['kore_sessions', '_parley_quarantine']));
    const child = spawn(process.execPath, [CLI, 'read', '--config', writeJson(dir, 'slow.json', source({ start_date: slowStart })), '--catalog', slowCatalog], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PARLEY_HTTP_RETRY_BASE_MS: '20' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    // stdout is written in 64 KiB blocks, so the simulator tells when the read is under way: every
    // bot has had its first day's three requests answered and is on its second.
    const started = () => BOTS.every((b) => (simulator.stats().bots[b]?.accepted ?? 0) >= 4);
    for (let i = 0; i < 200 && !started(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(started()).toBe(true);
    const killedAt = Date.now();
    child.kill('SIGTERM');
    const code = await closed;
    const tookMs = Date.now() - killedAt;
    simulator.setFaults({ slowMs: 0 });
    expect(code, stderr).toBe(0);
    expect(tookMs).toBeLessThan(3_000); // the window under way finishes (three slow requests), nothing more
    expect(stderr).toMatch(/SIGTERM: finishing the current unit of work/);

    const out = messages(stdout); // every line a valid Airbyte message
    const counted = new Map<string, number>();
    for (const m of out) {
      if (m.type === 'RECORD') counted.set(m.record.stream, (counted.get(m.record.stream) ?? 0) + 1);
      if (m.type === 'STATE') {
        const name = m.state.stream.stream_descriptor.name;
        expect(m.state.sourceStats?.recordCount, name).toBe(counted.get(name) ?? 0);
        counted.set(name, 0);
      }
    }
    expect(counted.get('kore_sessions') ?? 0).toBe(0); // every session emitted is covered by a STATE
    const statuses = out.filter((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS').map((m) => (m as { trace: { stream_status: { stream_descriptor: { name: string }; status: string } } }).trace.stream_status);
    expect(statuses.slice(-2).map((s) => s.status)).toEqual(['INCOMPLETE', 'INCOMPLETE']);
    const committed = lastState(out, 'kore_sessions')!;
    const partitions = committed.stream.stream_state.partitions as Record<string, { cursor: string }>;
    expect(committed.stream.stream_state).toMatchObject({ parley_state: 2, source_instance: instance });
    const days = [...Array(7).keys()].map((i) => iso(midnight(addDays(slowStart, i))));
    expect(Object.keys(partitions).sort()).toEqual(BOTS);
    // Each bot stopped after the day under way: its cursor a closed day's end, short of today.
    for (const [bot, { cursor }] of Object.entries(partitions)) expect(days.slice(1), bot).toContain(cursor);

    // Resumed from what was committed: the rest, and together every truth session.
    const resumed = await runCli(['read', '--config', writeJson(dir, 'slow2.json', source({ start_date: slowStart })), '--catalog', slowCatalog, '--state', writeJson(dir, 'state-slow.json', [committed])]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const rest = messages(resumed.stdout);
    expectProtocolInvariants(rest, ['kore_sessions', '_parley_quarantine']);
    expect(lastState(rest, 'kore_sessions')?.stream.stream_state).toEqual(cursors(instance, Object.fromEntries(BOTS.map((b) => [b, iso(midnight(today))]))));
    const truth = koreTruth({ botIds: BOTS, startDate: slowStart, untilMs: clock + 1, asOfMs: clock, generator });
    const ids = new Set([...recordsOf(out, 'kore_sessions'), ...recordsOf(rest, 'kore_sessions')].map((s) => `${String(s.bot_id)}/${String(s.session_id)}`));
    expect(ids).toEqual(new Set(truth.sessions.map((t) => `${t.botId}/${t.sessionId}`)));
  });
});
