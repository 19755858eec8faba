/**
 * The contract the Ultimate source passes, for Genesys Cloud: `parley read` against the simulator,
 * every stdout line a valid Airbyte message, states after the records they cover, an incremental
 * second read from the emitted state, errors as TRACE messages, secrets never printed, SIGTERM
 * deleting the jobs in flight.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import type { AirbyteMessage } from '../../connector/protocol/messages.js';
import { startGenesysSimulator, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { expectCanonical } from '../helpers/airbyte-schema.js';
import { CLI, messages, runCli, tempDir, writeJson } from '../helpers/cli.js';
import { truthConversations, valid } from '../helpers/genesys-truth.js';
import { catalog, expectProtocolInvariants, expectRecordsMatchDiscover } from '../helpers/protocol.js';
import { GENESYS_INSTANCE, cursors } from '../helpers/state.js';

const HOUR = 3_600_000;
const today = todayUtc();
const startDate = addDays(today, -4);
// 150 a day: ~4 cross each midnight (at 30, ~1: some dates had none, and the check that boundary
// conversations come once per interval failed on them).
const generator = { seed: 13, conversationsPerDay: 150, invalidEvery: 12 };
const SECRET = 'gc-secret-protocol-7f3a9e';
const STREAMS = ['genesys_conversations', 'genesys_loaded_days', 'genesys_flow_outcomes', '_parley_quarantine'];
let clock = Date.parse(`${addDays(today, -1)}T06:00:00.000Z`);
let simulator: RunningGenesysSimulator;
const dir = tempDir('genesys-protocol');
let configFile: string;
const source = (extra: Record<string, unknown> = {}) => ({
  vendor: 'genesys', client_id: 'sim-client-id', client_secret: SECRET, start_date: startDate, base_url: simulator.url, login_url: simulator.url,
  page_size: 10, job_poll_seconds: 0.02, max_requests_per_minute: 6000, ...extra,
});

beforeAll(async () => {
  simulator = await startGenesysSimulator({ now: () => clock, clientSecret: SECRET, generator, faults: { availabilityLagHours: 3 } });
  configFile = writeJson(dir, 'source.json', source());
});
afterAll(async () => simulator?.close());

describe('parley read (Genesys Cloud)', () => {
  let first: AirbyteMessage[];
  let output = '';

  it('emits valid messages, each STATE after its records, and the records match the truth', async () => {
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'catalog.json', catalog(STREAMS))]);
    expect(result.code, result.stderr).toBe(0);
    output = result.stdout + result.stderr;
    first = messages(result.stdout);
    expectProtocolInvariants(first, STREAMS);
    expectRecordsMatchDiscover(first, messages((await runCli(['discover', '--config', configFile])).stdout));

    const truth = truthConversations({ startDate, loadedThroughMs: clock - 3 * HOUR, generator });
    const records = first.filter((m) => m.type === 'RECORD');
    const conversations = records.filter((m) => m.record.stream === 'genesys_conversations');
    // Conversations crossing an interval boundary come once per interval (the destination upserts).
    expect(new Set(conversations.map((m) => m.record.data.conversation_id)).size).toBe(truth.filter(valid).length);
    expect(conversations.length).toBeGreaterThan(truth.filter(valid).length);
    const one = conversations[0]!.record.data;
    expect(Array.isArray(one.participants)).toBe(true); // nested, as delivered
    expect(one).toMatchObject({ conversation_id: expect.any(String), conversation_start: expect.stringMatching(/Z$/), flow_outcomes: expect.any(Array) });
    expect(records.filter((m) => m.record.stream === 'genesys_flow_outcomes')).toHaveLength(9);
    expect(records.filter((m) => m.record.stream === 'genesys_loaded_days').map((m) => m.record.data.day)).toEqual([0, 1, 2].map((i) => addDays(startDate, i)));
    const quarantined = new Set(records.filter((m) => m.record.stream === '_parley_quarantine').map((m) => m.record.data.locator));
    expect(quarantined.size).toBe(truth.filter((t) => t.invalid).length);
  });

  it('never prints the client secret, its Basic header or a bearer token', () => {
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(Buffer.from(`sim-client-id:${SECRET}`).toString('base64'));
    expect(output).not.toMatch(/Bearer\s+[A-Za-z0-9_-]{10}/);
  });

  it('reads incrementally from the emitted state: the window since the watermark, and the lookback_hours (24) before it again', async () => {
    const state = first.filter((m) => m.type === 'STATE' && m.state.stream.stream_descriptor.name === 'genesys_conversations').at(-1)!;
    expect((state as { state: { stream: { stream_state: unknown } } }).state.stream.stream_state).toEqual(cursors(GENESYS_INSTANCE, { '*': new Date(clock - 3 * HOUR).toISOString() }));
    clock += 6 * HOUR;
    simulator.resetStats();
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'c1.json', catalog(['genesys_conversations'])), '--state', writeJson(dir, 'state.json', [(state as { state: unknown }).state])]);
    expect(result.code, result.stderr).toBe(0);
    // The watermark was yesterday 03:00: re-read from 24 hours before it (cut at midnight, on the
    // grid), then the new window up to the availability date (yesterday 09:00).
    const yesterday = addDays(today, -1);
    expect(simulator.stats().jobsSubmitted.map((j) => j.interval)).toEqual([
      `${addDays(today, -2)}T03:00:00.000Z/${yesterday}T00:00:00.000Z`,
      `${yesterday}T00:00:00.000Z/${yesterday}T03:00:00.000Z`,
      `${new Date(clock - 9 * HOUR).toISOString()}/${new Date(clock - 3 * HOUR).toISOString()}`,
    ]);
    const out = messages(result.stdout);
    expectProtocolInvariants(out, ['genesys_conversations']);
    const starts = out.filter((m) => m.type === 'RECORD').map((m) => (m as unknown as { record: { data: { conversation_start: string; conversation_end: string | null } } }).record.data);
    // Only conversations that overlap the windows read: started before the new end, not ended before the re-read's start.
    for (const c of starts) {
      expect(c.conversation_start < new Date(clock - 3 * HOUR).toISOString()).toBe(true);
      if (c.conversation_end) expect(c.conversation_end > new Date(clock - 33 * HOUR).toISOString()).toBe(true);
    }
  });

  it('check: succeeds, then fails clearly with a wrong secret without echoing it; bad settings name the field', async () => {
    const ok = messages((await runCli(['check', '--config', configFile])).stdout);
    expect(ok).toMatchObject([{ connectionStatus: { status: 'SUCCEEDED' } }]);
    expectCanonical('AirbyteConnectionStatus', (ok[0] as { connectionStatus: unknown }).connectionStatus, 'check SUCCEEDED');
    const wrong = 'gc-wrong-secret-123456';
    const bad = await runCli(['check', '--config', writeJson(dir, 'bad.json', source({ client_secret: wrong }))]);
    const failed = messages(bad.stdout);
    expect(failed).toMatchObject([{ connectionStatus: { status: 'FAILED', message: expect.stringMatching(/login refused the client credentials.*client_id and client_secret/) } }]);
    expectCanonical('AirbyteConnectionStatus', (failed[0] as { connectionStatus: unknown }).connectionStatus, 'check FAILED');
    expect(bad.stdout + bad.stderr).not.toContain(wrong);
    const invalid = await runCli(['check', '--config', writeJson(dir, 'invalid.json', source({ interval_days: 0, region: 'mypurecloud.moon' }))]);
    const [status] = messages(invalid.stdout);
    expect(JSON.stringify(status)).toMatch(/interval_days.*must be 1 or more/);
    expect(JSON.stringify(status)).toMatch(/region/);
    expect(invalid.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
  });

  it('permissions: without the outcome list the read goes on (ids for names, a warning); without detail jobs check says which permission', async () => {
    simulator.setFaults({ outcomesForbidden: true });
    const read = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'c3.json', catalog(['genesys_flow_outcomes', 'genesys_loaded_days']))]);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stderr).toMatch(/architect:flowOutcome:view/);
    expectProtocolInvariants(messages(read.stdout), ['genesys_flow_outcomes', 'genesys_loaded_days']); // complete, though outcomes had nothing
    expect(messages(read.stdout).filter((m) => m.type === 'RECORD' && m.record.stream === 'genesys_flow_outcomes')).toEqual([]);
    simulator.setFaults({ outcomesForbidden: false, jobsForbidden: true });
    const check = await runCli(['check', '--config', configFile]);
    simulator.setFaults({ jobsForbidden: false });
    expect(messages(check.stdout)).toMatchObject([{ connectionStatus: { status: 'FAILED', message: expect.stringMatching(/403.*analytics:conversationDetail:view/) } }]);
  });

  it('SIGTERM while jobs are in flight: the jobs are deleted on the vendor side and the read ends cleanly', async () => {
    simulator.setFaults({ pendingPolls: 1000 }); // jobs never finish: the read waits on them
    simulator.resetStats();
    const child = spawn(process.execPath, [CLI, 'read', '--config', writeJson(dir, 'slow.json', source({ start_date: addDays(today, -3), max_jobs_in_flight: 3 })), '--catalog', writeJson(dir, 'c2.json', catalog(['genesys_conversations']))], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    for (let i = 0; i < 100 && simulator.stats().jobsSubmitted.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(simulator.liveJobs()).toHaveLength(3);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    simulator.setFaults({ pendingPolls: 2 });
    expect(code).toBe(0);
    expect(simulator.liveJobs()).toEqual([]);
    expect(simulator.stats().jobsDeleted).toHaveLength(3);
    const out = messages(stdout);
    expect(out.some((m) => m.type === 'STATE')).toBe(false); // nothing finished, so no state moved
    const last = out.at(-1) as { trace?: { stream_status?: { status: string } } };
    expect(last.trace?.stream_status?.status).toBe('INCOMPLETE');
  });
});
