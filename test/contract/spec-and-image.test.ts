import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { specMessage } from '../../connector/cli/spec.js';
import { messages, ROOT, runCli, tempDir, writeJson } from '../helpers/cli.js';

describe('spec', () => {
  it('spec.json is what the zod schema generates (regenerate with `npm run generate`)', () => {
    const checkedIn = JSON.parse(fs.readFileSync(path.join(ROOT, 'spec.json'), 'utf8'));
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(specMessage().type === 'SPEC' ? specMessage() : {})).spec);
  });

  it('marks every secret airbyte_secret and prints one SPEC message on stdout', async () => {
    const result = await runCli(['spec']);
    expect(result.code).toBe(0);
    const [message, ...rest] = messages(result.stdout);
    expect(rest).toEqual([]);
    expect(message?.type).toBe('SPEC');
    // One variant per vendor, told apart by the `vendor` constant; each marks exactly its secrets.
    type Variant = { properties: Record<string, { airbyte_secret?: boolean; const?: string }> };
    const variants = (message as unknown as { spec: { connectionSpecification: { oneOf: Variant[] } } }).spec.connectionSpecification.oneOf;
    const secrets = Object.fromEntries(
      variants.map((v) => [v.properties.vendor?.const, Object.entries(v.properties).filter(([, p]) => p.airbyte_secret).map(([k]) => k)]),
    );
    expect(secrets).toEqual({ ultimate: ['api_key', 'pii_key'], genesys: ['client_secret', 'pii_key'], kore: ['client_secret', 'jwt', 'pii_key'], sunbird: ['api_key', 'user_token', 'pii_key', 'encryption_key'] });
  });
});

describe('bad input gets a clear message, never a stack trace', () => {
  const dir = tempDir('config');
  const good = { vendor: 'ultimate', api_key: 'k-123456', organization_id: 'o', bot_ids: ['b'], start_date: '2026-11-01' };

  it.each([
    [{ ...good, start_date: '01/11/2026' }, /start_date: use YYYY-MM-DD/],
    [{ ...good, bot_ids: [] }, /bot_ids: list at least one bot id/],
    [{ ...good, api_key: undefined }, /api_key: required/],
    [{ ...good, lookback_days: -1 }, /lookback_days: must be 0 or more/],
    [{ ...good, vendor: 'acme' }, /vendor: "acme" is not supported; use one of: ultimate/],
    [{ ...good, extra_field: 1 }, /extra_field/],
  ])('discover rejects %j', async (config, expected) => {
    const result = await runCli(['discover', '--config', writeJson(dir, 'c.json', config)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const [trace] = messages(result.stdout);
    expect(trace).toMatchObject({ type: 'TRACE', trace: { type: 'ERROR', error: { failure_type: 'config_error' } } });
  });

  it('names a missing or broken config file', async () => {
    const missing = await runCli(['check', '--config', path.join(dir, 'nope.json')]);
    expect(messages(missing.stdout)).toMatchObject([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED' } }]);
    expect(missing.stderr).toMatch(/Cannot read the config file .*nope\.json/);
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"vendor": ');
    const broken = await runCli(['discover', '--config', path.join(dir, 'broken.json')]);
    expect(broken.stderr).toMatch(/broken\.json" is not valid JSON/);
  });

  it('explains a bare source config given to sync, and unknown commands/options', async () => {
    const sync = await runCli(['sync', '--config', writeJson(dir, 's.json', good)]);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/looks like a bare source config .*"source"/);
    expect((await runCli(['frobnicate'])).stderr).toMatch(/unknown command "frobnicate"/);
    expect((await runCli(['read', '--nope'])).code).toBe(2);
    const noCatalog = await runCli(['read', '--config', writeJson(dir, 'g.json', good)]);
    expect(noCatalog.stderr).toMatch(/--catalog <file> is required/);
    const badDays = await runCli(['demo', '--days', '0']);
    expect([badDays.code, badDays.stderr]).toEqual([2, expect.stringMatching(/--days 0: use a whole number of days from 1 to 30/)]);
    const badUrl = await runCli(['demo', '--bigquery', 'localhost:9050']);
    expect(badUrl.stderr).toMatch(/--bigquery localhost:9050: give the API's http\(s\) URL/);
    expect(badUrl.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('every command has --help', async () => {
    for (const command of ['spec', 'check', 'discover', 'read', 'sync', 'transform', 'run', 'simulate', 'demo']) {
      const result = await runCli([command, '--help']);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toMatch(/^Usage: parley /);
    }
  });
});
