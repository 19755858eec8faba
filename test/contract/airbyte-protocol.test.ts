/**
 * Parley against the canonical Airbyte protocol schema (vendored in airbyte-protocol/): the schema is
 * the one the README names and the check is not vacuous; `spec` is a valid ConnectorSpecification;
 * `discover` for each vendor is a valid CATALOG whose streams publish strict draft-07 schemas, keys
 * that start with source_instance and incremental sync; failed checks are valid CONNECTION_STATUS;
 * the rules the vendor read tests apply (expectStatesAtEnd, expectRecordsMatchDiscover) fail when they should.
 * (Every stdout line any contract test parses with `messages()` is validated against it too.)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileJsonSchema, expectCanonical, expectCanonicalMessage, PROTOCOL_FILE, protocolVersion } from '../helpers/airbyte-schema.js';
import { messages, runCli, tempDir, writeJson } from '../helpers/cli.js';
import { catalog, expectRecordsMatchDiscover, expectStatesAtEnd } from '../helpers/protocol.js';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../connector/protocol/messages.js';

const dir = tempDir('airbyte-protocol');
// Discover and a failing check need no server: nothing listens on the discard port.
const NOWHERE = 'http://127.0.0.1:9';
const configs = {
  ultimate: { vendor: 'ultimate', base_url: NOWHERE, api_key: 'sk-live-protocol-test-secret', organization_id: 'sim-org', bot_ids: ['bot-a'], start_date: '2026-01-01', lookback_days: 2 },
  genesys: {
    vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'gc-secret-protocol-7f3a9e', start_date: '2026-01-01', base_url: NOWHERE, login_url: NOWHERE,
    page_size: 10, job_poll_seconds: 0.02, max_requests_per_minute: 6000,
  },
  kore: { vendor: 'kore', base_url: NOWHERE, client_id: 'sim-client-id', client_secret: 'kore-secret-protocol-5c1d', bot_ids: ['st-protocol-a'], start_date: '2026-01-01' },
  sunbird: {
    vendor: 'sunbird', base_url: NOWHERE, api_key: 'sunbird-key-protocol-91c2', user_token: 'sunbird-token-protocol-4e7b', channel_id: 'sim-channel', requested_by: 'sim-user',
    bot_ids: ['bot-protocol-a'], start_date: '2026-01-01', include_private_exhaust: true, pii: 'hash', pii_key: 'sunbird-pii-key-protocol-0d3f',
  },
};
const expectedStreams = {
  ultimate: ['ultimate_conversations', 'ultimate_export_days', '_parley_quarantine'],
  genesys: ['genesys_conversations', 'genesys_loaded_days', 'genesys_flow_outcomes', '_parley_quarantine'],
  kore: ['kore_sessions', 'kore_session_windows', 'kore_intents', 'kore_intent_windows', '_parley_quarantine'],
  sunbird: ['sunbird_responses', 'sunbird_exhaust_windows', 'sunbird_users', '_parley_quarantine'],
};

describe('the vendored Airbyte protocol schema', () => {
  it('is the file its README names, unchanged (same git blob), protocol 0.3.2', () => {
    const readme = fs.readFileSync(path.join(path.dirname(PROTOCOL_FILE), 'README.md'), 'utf8');
    const blob = /git blob of the file \| `([0-9a-f]{40})`/.exec(readme)?.[1];
    const content = fs.readFileSync(PROTOCOL_FILE);
    const hash = crypto.createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
    expect(hash).toBe(blob);
    expect(protocolVersion()).toBe('0.3.2');
    expect(readme).toContain(`| ${protocolVersion()} |`);
  });

  it('rejects what the protocol rejects, naming the stdout line (the check is not vacuous)', () => {
    const stream = { name: 's', json_schema: {}, supported_sync_modes: ['incremental'] };
    const valid = [
      { type: 'RECORD', record: { stream: 's', data: { a: 1 }, emitted_at: 1_700_000_000_000 } },
      { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 's' }, stream_state: {} }, sourceStats: { recordCount: 3 } } },
      { type: 'CATALOG', catalog: { streams: [stream] } },
      { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 's' }, status: 'COMPLETE' } } },
    ];
    for (const message of valid) expect(() => expectCanonicalMessage(message, 1)).not.toThrow();
    const invalid: [unknown, RegExp][] = [
      [{ type: 'BOGUS' }, /\/type must be equal to one of the allowed values/],
      [{ type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 1.5 } }, /\/record\/emitted_at must be integer/],
      [{ type: 'RECORD', record: { stream: 's', data: [], emitted_at: 1 } }, /\/record\/data must be object/],
      [{ type: 'RECORD', record: { data: {}, emitted_at: 1 } }, /\/record must have required property 'stream'/],
      [{ type: 'STATE', state: { type: 'PER_STREAM', stream: { stream_descriptor: { name: 's' } } } }, /\/state\/type must be equal to one of the allowed values/],
      [{ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: {} } } }, /\/state\/stream\/stream_descriptor must have required property 'name'/],
      [{ type: 'CATALOG', catalog: { streams: [{ ...stream, supported_sync_modes: [] }] } }, /supported_sync_modes must NOT have fewer than 1 items/],
      [{ type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { message: 'x', failure_type: 'oops' } } }, /\/trace\/error\/failure_type must be equal to one of the allowed values/],
      [{ type: 'SPEC', spec: { documentationUrl: 'not a url', connectionSpecification: {} } }, /\/spec\/documentationUrl must match format "uri"/],
      [{ type: 'SPEC', spec: { connectionSpecification: {}, supported_destination_sync_modes: ['overwrite_dedup'] } }, /supported_destination_sync_modes\/0 must be equal to one of the allowed values/],
      [{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'OK' } }, /\/connectionStatus\/status must be equal to one of the allowed values/],
    ];
    for (const [message, error] of invalid) expect(() => expectCanonicalMessage(message, 7), JSON.stringify(message)).toThrow(error);
    expect(() => messages(`${JSON.stringify(valid[0])}\n{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":"now"}}\n`)).toThrow(
      /stdout line 2 is not a valid AirbyteMessage \(Airbyte protocol 0\.3\.2\):\n {2}\/record\/emitted_at must be integer/,
    );
  });

  it('accepts the configured catalogs the tests give `read`', () => {
    expectCanonical('ConfiguredAirbyteCatalog', catalog(expectedStreams.genesys, { genesys_loaded_days: 'full_refresh' }), 'catalog()');
    for (const [vendor, streams] of Object.entries(expectedStreams)) expectCanonical('ConfiguredAirbyteCatalog', catalog(streams), `catalog(${vendor})`);
  });
});

describe('the read rules the vendor tests apply', () => {
  const record = (stream: string): AirbyteMessage => ({ type: 'RECORD', record: { stream, data: {}, emitted_at: 1 } });
  const state = (stream: string): AirbyteMessage => ({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: {} }, sourceStats: { recordCount: 1 } } });
  const configured = catalog(['a', 'b'], { b: 'full_refresh' }) as ConfiguredAirbyteCatalog;

  it('pass when every record is covered by a later STATE and every incremental stream has one', () => {
    expectStatesAtEnd([record('a'), record('b'), state('b'), state('a')], configured);
    expectStatesAtEnd([state('a')], configured); // a full_refresh stream without records needs no STATE
  });

  it('fail on a RECORD after its stream\'s last STATE, an incremental stream without a STATE, or an unconfigured stream', () => {
    expect(() => expectStatesAtEnd([record('a'), state('a'), record('b'), state('b'), record('a')], configured)).toThrow(/a: its last STATE .* after its last RECORD/);
    expect(() => expectStatesAtEnd([record('b'), state('b')], configured)).toThrow(/a is incremental: a complete read must end it with a STATE/);
    expect(() => expectStatesAtEnd([state('a'), record('c'), state('c')], configured)).toThrow(/streams not in the catalog/);
  });

  it('expectRecordsMatchDiscover fails a record its stream\'s json_schema rejects, or of an undiscovered stream', () => {
    const discovered: AirbyteMessage[] = [
      { type: 'CATALOG', catalog: { streams: [{ name: 'a', json_schema: { type: 'object', required: ['x'], properties: { x: { type: 'string', format: 'date' } } }, supported_sync_modes: ['incremental'] }] } },
    ];
    const data = (stream: string, x: unknown): AirbyteMessage => ({ type: 'RECORD', record: { stream, data: { x }, emitted_at: 1 } });
    expectRecordsMatchDiscover([data('a', '2026-01-31')], discovered);
    expect(() => expectRecordsMatchDiscover([data('a', 1)], discovered)).toThrow(/a\/x must be string/);
    expect(() => expectRecordsMatchDiscover([data('a', '31/01/2026')], discovered)).toThrow(/a\/x must match format "date"/);
    expect(() => expectRecordsMatchDiscover([data('b', '2026-01-31')], discovered)).toThrow(/b: not in the discovered catalog/);
  });
});

describe('spec', () => {
  it('is a valid SPEC whose ConnectorSpecification follows the protocol and whose config schema is strict draft-07', async () => {
    const result = await runCli(['spec']);
    expect(result.code).toBe(0);
    const [message] = messages(result.stdout); // validated against the canonical AirbyteMessage
    if (message?.type !== 'SPEC') throw new Error(`expected SPEC, got ${message?.type}`);
    expectCanonical('ConnectorSpecification', message.spec, 'spec');
    compileJsonSchema(message.spec.connectionSpecification, 'connectionSpecification', ['airbyte_secret']);
    expect(message.spec.supportsIncremental).toBe(true);
  });
});

describe.each(Object.keys(configs) as (keyof typeof configs)[])('discover (%s)', (vendor) => {
  it('is one valid CATALOG: the expected streams, strict draft-07 schemas, keys from source_instance, incremental', async () => {
    const result = await runCli(['discover', '--config', writeJson(dir, `${vendor}.json`, configs[vendor])]);
    expect(result.code, result.stderr).toBe(0);
    const all = messages(result.stdout); // each line validated against the canonical AirbyteMessage
    expect(all.map((m) => m.type)).toEqual(['CATALOG']);
    const [message] = all;
    if (message?.type !== 'CATALOG') throw new Error('expected CATALOG');
    expectCanonical('AirbyteCatalog', message.catalog, `${vendor} catalog`);
    const streams = message.catalog.streams;
    expect(streams.map((s) => s.name).sort()).toEqual([...expectedStreams[vendor]].sort());
    for (const stream of streams) {
      expectCanonical('AirbyteStream', stream, stream.name);
      const validate = compileJsonSchema(stream.json_schema, `${stream.name}.json_schema`);
      expect(validate({}), `${stream.name}: an empty record must not pass its schema`).toBe(false);
      expect(stream.source_defined_primary_key?.[0], stream.name).toEqual(['source_instance']);
      for (const part of stream.source_defined_primary_key ?? []) {
        expect(Object.keys((stream.json_schema as { properties: object }).properties), `${stream.name}: key ${part.join('.')} is a property`).toContain(part[0]);
      }
      expect(stream.supported_sync_modes, stream.name).toContain('incremental');
    }
  });
});

describe('check', () => {
  it.each(Object.keys(configs) as (keyof typeof configs)[])('a failed check (%s, vendor unreachable) is one valid CONNECTION_STATUS FAILED', async (vendor) => {
    const result = await runCli(['check', '--config', writeJson(dir, `${vendor}-check.json`, configs[vendor])]);
    expect(result.code).toBe(0); // Airbyte convention: a failed check is a message, not a crash
    const all = messages(result.stdout);
    expect(all).toMatchObject([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: expect.any(String) } }]);
    expectCanonical('AirbyteConnectionStatus', (all[0] as { connectionStatus: unknown }).connectionStatus, 'connectionStatus');
    const config: Record<string, unknown> = configs[vendor];
    const secrets = ['api_key', 'client_secret', 'user_token', 'pii_key'].map((field) => config[field]).filter((value): value is string => typeof value === 'string');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(result.stdout + result.stderr).not.toContain(secret);
  });
});
