/**
 * The Airbyte protocol as the platform sees it: `parley read` against the simulator, every stdout line
 * validated, states after the records they cover with correct counts, stream statuses, incremental
 * reads from the emitted state, errors as TRACE messages, and secrets never printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../connector/protocol/messages.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { expectCanonical } from '../helpers/airbyte-schema.js';
import { messages, runCli, tempDir, writeJson } from '../helpers/cli.js';
import { catalog, expectProtocolInvariants, expectRecordsMatchDiscover } from '../helpers/protocol.js';
import { truthConversations, truthInvalidCount } from '../helpers/ultimate-truth.js';

const today = todayUtc();
const generator = { seed: 11, conversationsPerDay: 15, invalidEvery: 20 };
const API_KEY = 'sk-live-protocol-test-secret';
let simulator: RunningUltimateSimulator;
const dir = tempDir('protocol');
let configFile: string;

beforeAll(async () => {
  simulator = await startUltimateSimulator({ today, apiKey: API_KEY, generator });
  configFile = writeJson(dir, 'source.json', {
    vendor: 'ultimate', base_url: simulator.url, api_key: API_KEY, organization_id: 'sim-org', bot_ids: ['bot-a'], start_date: addDays(today, -5), lookback_days: 2,
  });
});
afterAll(async () => simulator?.close());

describe('parley read (Ultimate)', () => {
  let first: AirbyteMessage[];
  let firstStdout = '';
  let firstStderr = '';

  it('emits valid messages: STARTED → RUNNING → records/states → COMPLETE, each STATE after its records', async () => {
    // One stream configured full_refresh: a mixed catalog, and STATEs still cover its records.
    const configured = catalog(['ultimate_conversations', 'ultimate_export_days', '_parley_quarantine'], { ultimate_export_days: 'full_refresh' });
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'catalog.json', configured)]);
    expect(result.code, result.stderr).toBe(0);
    firstStdout = result.stdout;
    firstStderr = result.stderr;
    first = messages(result.stdout);

    expectProtocolInvariants(first, configured as ConfiguredAirbyteCatalog);
    expectRecordsMatchDiscover(first, messages((await runCli(['discover', '--config', configFile])).stdout));

    const scope = { bots: ['bot-a'], firstDay: addDays(today, -5), lastDay: addDays(today, -1), generator };
    const records = first.filter((m) => m.type === 'RECORD');
    expect(records.filter((m) => m.record.stream === 'ultimate_conversations')).toHaveLength(truthConversations(scope).length);
    expect(records.filter((m) => m.record.stream === 'ultimate_export_days')).toHaveLength(5);
    const quarantined = records.filter((m) => m.record.stream === '_parley_quarantine');
    expect(quarantined).toHaveLength(truthInvalidCount(scope));
    for (const q of quarantined) expect(q.record.data.reason).toMatch(/not valid JSON|conversation_id|timestamp|whole number/);
  });

  it('never prints the API key or a URL signature, on stdout or stderr', () => {
    for (const text of [firstStdout, firstStderr]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toMatch(/X-Goog-Signature=[0-9a-f]/);
    }
  });

  it('reads incrementally from the emitted state: only the lookback days again', async () => {
    const finalState = first.filter((m) => m.type === 'STATE' && m.state.stream.stream_descriptor.name === 'ultimate_conversations').at(-1)!;
    const stateFile = writeJson(dir, 'state.json', [(finalState as { state: unknown }).state]);
    const catalogFile = writeJson(dir, 'catalog-conv.json', catalog(['ultimate_conversations']));
    simulator.resetStats();
    const result = await runCli(['read', '--config', configFile, '--catalog', catalogFile, '--state', stateFile]);
    expect(result.code, result.stderr).toBe(0);
    const days = [...new Set(simulator.stats().signedUrlRequests.map((r) => r.date))].sort();
    expect(days).toEqual([addDays(today, -2), addDays(today, -1)]); // today is never served, so never asked for
    const out = messages(result.stdout);
    expectProtocolInvariants(out, ['ultimate_conversations']);
    expect(out.filter((m) => m.type === 'RECORD').every((m) => m.type === 'RECORD' && m.record.stream === 'ultimate_conversations')).toBe(true);
    // Not selected, so quarantined records are warned about on stderr rather than emitted.
    expect(out.some((m) => m.type === 'STATE' && m.state.stream.stream_descriptor.name !== 'ultimate_conversations')).toBe(false);
  });

  it('a stream configured full_refresh starts over: the state given for it is not used', async () => {
    const finalState = first.filter((m) => m.type === 'STATE' && m.state.stream.stream_descriptor.name === 'ultimate_conversations').at(-1)!;
    const stateFile = writeJson(dir, 'state-full.json', [(finalState as { state: unknown }).state]);
    simulator.resetStats();
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'catalog-full.json', catalog(['ultimate_conversations'], { ultimate_conversations: 'full_refresh' })), '--state', stateFile]);
    expect(result.code, result.stderr).toBe(0);
    const days = [...new Set(simulator.stats().signedUrlRequests.map((r) => r.date))].sort();
    expect(days).toEqual([-5, -4, -3, -2, -1].map((i) => addDays(today, i)));
  });

  it('an unknown stream in the catalog is a TRACE ERROR (config_error)', async () => {
    const result = await runCli(['read', '--config', configFile, '--catalog', writeJson(dir, 'bad-catalog.json', catalog(['ultimate_tickets']))]);
    expect(result.code).toBe(1);
    const errors = messages(result.stdout).filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ trace: { error: { failure_type: 'config_error', message: expect.stringMatching(/ultimate_tickets.*ultimate_conversations/) } } });
  });

  it('check succeeds with good credentials and fails clearly with a wrong key, without echoing it', async () => {
    const ok = messages((await runCli(['check', '--config', configFile])).stdout);
    expect(ok).toMatchObject([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
    expectCanonical('AirbyteConnectionStatus', (ok[0] as { connectionStatus: unknown }).connectionStatus, 'check SUCCEEDED');
    const wrongKey = 'sk-wrong-key-9876';
    const bad = await runCli(['check', '--config', writeJson(dir, 'bad.json', { vendor: 'ultimate', base_url: simulator.url, api_key: wrongKey, organization_id: 'sim-org', bot_ids: ['bot-a'], start_date: addDays(today, -5) })]);
    const [status] = messages(bad.stdout);
    expect(status).toMatchObject({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: expect.stringMatching(/refused the credentials.*401/) } });
    expectCanonical('AirbyteConnectionStatus', (status as { connectionStatus: unknown }).connectionStatus, 'check FAILED');
    expect(bad.stdout + bad.stderr).not.toContain(wrongKey);
  });

  it('a start_date older than the served history is a clear config error', async () => {
    const old = writeJson(dir, 'old.json', { vendor: 'ultimate', base_url: simulator.url, api_key: API_KEY, organization_id: 'sim-org', bot_ids: ['bot-a'], start_date: addDays(today, -45) });
    const result = await runCli(['read', '--config', old, '--catalog', writeJson(dir, 'c2.json', catalog(['ultimate_conversations']))]);
    expect(result.code).toBe(1);
    const [error] = messages(result.stdout).filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
    expect(error).toMatchObject({ trace: { error: { failure_type: 'config_error', message: expect.stringMatching(/start_date .* older than the 30 days .*Set start_date to \d{4}-\d{2}-\d{2} or later/) } } });
    const check = messages((await runCli(['check', '--config', old])).stdout);
    expect(check).toMatchObject([{ connectionStatus: { status: 'FAILED', message: expect.stringMatching(/start_date/) } }]);
  });
});
