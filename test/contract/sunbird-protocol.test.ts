/**
 * The contract every source passes, for Sunbird UCI: `parley read` against the simulator over HTTP,
 * every stdout line a valid Airbyte message, states after the records they cover; a first read
 * whose requests are still SUBMITTED ends successfully with the pending requests in the state (the
 * job ledger), a second read from that state polls them instead of submitting again and emits what
 * the truth says; errors as CONNECTION_STATUS / TRACE messages naming the header to fix; secrets (the
 * API key, the user token, the hash key, the signed URLs' signatures) never printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import type { AirbyteMessage } from '../../connector/protocol/messages.js';
import { startSunbirdSimulator, type RunningSunbirdSimulator } from '../../connector/simulators/sunbird/server.js';
import { expectCanonical } from '../helpers/airbyte-schema.js';
import { messages, runCli, tempDir, writeJson } from '../helpers/cli.js';
import { catalog, expectProtocolInvariants, expectRecordsMatchDiscover } from '../helpers/protocol.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { sunbirdTruth } from '../helpers/sunbird-truth.js';

const API_KEY = 'sunbird-key-protocol-3a7c';
const USER_TOKEN = 'sunbird-token-protocol-b91e';
const PII_KEY = 'sunbird-hmac-protocol-55d0';
const BOTS = ['sb-proto-a', 'sb-proto-b'];
const STREAMS = ['sunbird_responses', 'sunbird_exhaust_windows', 'sunbird_users', '_parley_quarantine'];
// Whole UTC days throughout: never start within minutes of midnight (the file takes a few).
await clearOfMidnight(2 * 60_000);
const clock = Date.now() - 60_000;
const today = todayUtc(new Date(clock));
const startDate = addDays(today, -2);
const generator = { seed: 17, conversationsPerDay: 8, invalidEvery: 9, v2From: addDays(today, -1), v3From: today };

let simulator: RunningSunbirdSimulator;
const dir = tempDir('sunbird-protocol');
let configFile: string;
const source = (extra: Record<string, unknown> = {}) => ({
  vendor: 'sunbird', base_url: simulator.baseUrl, api_key: API_KEY, user_token: USER_TOKEN, channel_id: 'sim-channel', requested_by: 'proto-user',
  bot_ids: BOTS, start_date: startDate, job_wait_seconds: 1, include_private_exhaust: true, pii: 'hash', pii_key: PII_KEY, ...extra,
});
type Data = Record<string, unknown>;
const recordsOf = (all: AirbyteMessage[], stream: string): Data[] =>
  all.flatMap((m) => (m.type === 'RECORD' && m.record.stream === stream ? [m.record.data as Data] : []));
const lastState = (all: AirbyteMessage[], stream: string) =>
  (all.filter((m) => m.type === 'STATE' && m.state.stream.stream_descriptor.name === stream).at(-1) as { state: { stream: { stream_state: Data } } } | undefined)?.state;
const errorsOf = (all: AirbyteMessage[]) => all.filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR') as { trace: { error: { message: string; failure_type?: string } } }[];
const SIGNATURE = /[?&]sig=/;

beforeAll(async () => {
  simulator = await startSunbirdSimulator({ now: () => clock, apiKey: API_KEY, userToken: USER_TOKEN, generator });
  configFile = writeJson(dir, 'source.json', source());
});
afterAll(async () => simulator?.close());

describe('parley read (Sunbird UCI)', () => {
  let first: AirbyteMessage[];
  let output = '';

  it('first read: submits every window and user list, waits job_wait_seconds, ends successfully with them pending in the state', async () => {
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'catalog.json', catalog(STREAMS))]);
    expect(result.code, result.stderr).toBe(0);
    output = result.stdout + result.stderr;
    first = messages(result.stdout);
    expectProtocolInvariants(first, STREAMS);
    expect(recordsOf(first, 'sunbird_responses')).toHaveLength(0);
    const state = lastState(first, 'sunbird_responses')!.stream.stream_state as { partitions: Record<string, { cursor?: string; pending_jobs?: Array<{ start: string; attempts: number; job: Data }> }> };
    for (const bot of BOTS) {
      const pending = state.partitions[bot]!.pending_jobs!;
      expect(pending.map((p) => p.start.slice(0, 10)), bot).toEqual([startDate, addDays(startDate, 1)]);
      for (const p of pending) {
        expect(p.attempts).toBe(1);
        expect(p.job).toMatchObject({ dataset: 'uci-response-exhaust', botId: bot, requestId: expect.stringMatching(/^[0-9A-F]{32}$/), tag: expect.any(String) });
      }
    }
    const users = lastState(first, 'sunbird_users')!.stream.stream_state as { partitions: Record<string, { pending_jobs?: unknown[] }> };
    for (const bot of BOTS) expect(users.partitions[bot]?.pending_jobs, bot).toHaveLength(1);
    expect(simulator.stats().jobsCreated).toBe(BOTS.length * 3);
  });

  it('second read from that state: polls the same requests (none submitted again) and emits what the truth says, with the users hashed', async () => {
    simulator.runBatch();
    const created = simulator.stats().jobsCreated;
    const states = STREAMS.filter((s) => s !== '_parley_quarantine').map((s) => lastState(first, s)!);
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'c2.json', catalog(STREAMS)), '--state', writeJson(dir, 'state.json', states)]);
    expect(result.code, result.stderr).toBe(0);
    output += result.stdout + result.stderr;
    const out = messages(result.stdout);
    expectProtocolInvariants(out, STREAMS);
    expectRecordsMatchDiscover(out, messages((await runCli(['discover', '--config', configFile])).stdout));
    expect(simulator.stats().jobsCreated).toBe(created);

    const truth = sunbirdTruth({ botIds: BOTS, startDate, untilDay: today, generator, asOfMs: clock });
    const responses = recordsOf(out, 'sunbird_responses');
    expect(responses).toHaveLength(truth.responses.size);
    const keyOf = (r: Data) => (r.message_id === null ? `${String(r.bot_id)}|${String(r.device_id)}|${Date.parse(String(r.answered_at))}|${String(r.question_id)}` : `${String(r.bot_id)}|${String(r.message_id)}`);
    expect(new Set(responses.map(keyOf))).toEqual(new Set(truth.responses.keys()));
    expect(recordsOf(out, '_parley_quarantine').filter((q) => q.source_stream === 'sunbird_responses')).toHaveLength(truth.quarantined.length);
    expect(recordsOf(out, 'sunbird_exhaust_windows').map((w) => `${String(w.bot_id)} ${String(w.window_start)} ${String(w.status)}`).sort()).toEqual(
      truth.windows.map((w) => `${w.botId} ${w.windowStart} ${w.status}`).sort(),
    );
    const users = recordsOf(out, 'sunbird_users');
    expect(users).toHaveLength(truth.users.length);
    for (const user of users) if (user.phone !== null) expect(user.phone).toMatch(/^hmac:[0-9a-f]{64}$/);
    for (const u of truth.users) if (u.phone) expect(output, u.deviceUuid).not.toContain(u.phone);

    for (const bot of BOTS) {
      const partition = (lastState(out, 'sunbird_responses')!.stream.stream_state as { partitions: Record<string, { cursor?: string; pending_jobs?: unknown }> }).partitions[bot]!;
      expect(partition, bot).toEqual({ cursor: `${today}T00:00:00.000Z` });
    }
  });

  it('never prints the API key, the user token, the hash key or a signed URL signature', () => {
    for (const secret of [API_KEY, USER_TOKEN, PII_KEY]) expect(output).not.toContain(secret);
    expect(output).not.toMatch(SIGNATURE);
  });

  it('check: succeeds; a user without the admin role fails naming the role and the channel; a wrong token fails naming its header', async () => {
    const good = messages((await runCli(['check', '--config', configFile])).stdout);
    expect(good).toMatchObject([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
    expectCanonical('AirbyteConnectionStatus', (good[0] as { connectionStatus: unknown }).connectionStatus, 'check SUCCEEDED');

    simulator.setFaults({ forbidChannel: 'sim-channel' });
    const bad = await runCli(['check', '--config', configFile]);
    simulator.setFaults({ forbidChannel: '' });
    const failed = messages(bad.stdout);
    expect(failed).toMatchObject([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: expect.stringMatching(/403.*admin.*user_token.*channel sim-channel/) } }]);

    const wrongToken = 'sunbird-wrong-token-77aa';
    const read = await runCli(['read', '--config', writeJson(dir, 'bad.json', source({ user_token: wrongToken })), '--catalog', writeJson(dir, 'c-bad.json', catalog(['sunbird_responses']))]);
    expect(read.code).toBe(1);
    expect(errorsOf(messages(read.stdout))).toMatchObject([{ trace: { error: { failure_type: 'config_error', message: expect.stringMatching(/x-authenticated-user-token/) } } }]);
    for (const text of [bad.stdout, bad.stderr, read.stdout, read.stderr]) {
      for (const secret of [API_KEY, USER_TOKEN, wrongToken]) expect(text).not.toContain(secret);
    }
  });
});
