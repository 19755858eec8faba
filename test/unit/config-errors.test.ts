/**
 * Every config field's error names the field (its path) and the fix, and is never a stack trace.
 * One bad value per field of every vendor's config declaration and of both destinations, through
 * the parsers `parley check` / `sync` use (loadSource, loadSyncConfig), then a few through the CLI.
 * The field lists come from the declarations themselves: a field added without a case here, or a
 * vendor added without a table, fails the first test.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BigQueryDestinationSchema, DuckDbDestinationSchema, SyncConfigSchema, loadSyncConfig } from '../../connector/engine/sync-config.js';
import { SOURCES, loadSource } from '../../connector/sources/registry.js';
import { messages, runCli, tempDir, writeJson } from '../helpers/cli.js';

type Case = [bad: unknown, fix: RegExp];
/** A value that is valid for the field's vendor, to which one bad field is applied. */
const GOOD: Record<string, Record<string, unknown>> = {
  ultimate: { vendor: 'ultimate', api_key: 'k-1', organization_id: 'org', bot_ids: ['b1'], start_date: '2026-11-01' },
  genesys: { vendor: 'genesys', client_id: 'id-1', client_secret: 'secret-1', start_date: '2026-11-01' },
  kore: { vendor: 'kore', client_id: 'cs-1', client_secret: 'secret-1', bot_ids: ['st-1'], start_date: '2026-11-01' },
  sunbird: { vendor: 'sunbird', base_url: 'https://uci.example.org/api', api_key: 'k', user_token: 't', channel_id: 'c', requested_by: 'u', bot_ids: ['b'], start_date: '2026-11-01' },
};
const UNSET = Symbol('unset');
const vendorCase: Case = ['acme', /"acme" is not supported; use one of: ultimate, genesys, kore, sunbird/];
const dayCase: Case = ['01/11/2026', /use YYYY-MM-DD, e\.g\. "2026-11-01"/];
const endCase: Case = ['2026-10-01', /must be on or after start_date \(2026-11-01\)/];
const url = /must be an http\(s\) URL/;

const SOURCE_CASES: Record<string, Record<string, Case>> = {
  ultimate: {
    vendor: vendorCase,
    base_url: ['api.ultimate.ai', url],
    api_key: ['', /must not be empty/],
    organization_id: [UNSET, /required: your Ultimate organisation id/],
    bot_ids: [[], /list at least one bot id/],
    start_date: dayCase,
    end_date: endCase,
    lookback_days: [31, /must be 30 or less/],
    not_ready_grace_days: [1.5, /expected a whole number of days/],
    history_days: [0, /must be 1 or more/],
    api_version: ['v4', /use one of: "v3", "v2"/],
    url_ttl_minutes: [20_000, /must be 10080 or less/],
    max_requests_per_second: [0, /must be more than 0/],
    pii_fields: [['a..b'], /use keys joined by dots, e\.g\. "email" or "customer\.phone" \(no empty keys\)/],
    pii: ['mask', /use "drop" \(default\), "hash" \(with pii_key\) or "raw"/],
    pii_key: ['k', /only used with pii "hash" \(pii is "drop"\): remove it or set pii to "hash"/],
  },
  genesys: {
    vendor: vendorCase,
    region: ['mypurecloud.fr', /must be one of the Genesys Cloud regions: mypurecloud\.com,/],
    client_id: [UNSET, /required: the OAuth client id/],
    client_secret: [42, /required: the OAuth client secret/],
    start_date: dayCase,
    interval_days: [40, /must be 31 or less/],
    max_jobs_in_flight: [2.5, /expected a whole number, e\.g\. 5, not the number 2\.5/],
    page_size: ['1000', /expected a number, e\.g\. 5, not the string "1000"/],
    max_requests_per_minute: [0, /must be 1 or more/],
    job_poll_seconds: [120, /must be 60 or less/],
    job_wait_seconds: [-5, /must be 0 or more/],
    base_url: ['not a url', url],
    login_url: ['not a url', url],
    lookback_hours: [1000, /must be 720 or less \(30 days\)/],
    pii: ['mask', /use "drop" \(default\), "hash" \(with pii_key\) or "raw"/],
    pii_key: ['k', /only used with pii "hash" \(pii is "drop"\): remove it or set pii to "hash"/],
  },
  kore: {
    vendor: vendorCase,
    base_url: ['bots kore ai', url],
    client_id: ['', /must not be empty/],
    client_secret: [UNSET, /required: give client_secret \(Parley mints the JWT\) or jwt/],
    jwt: ['ey.a.b', /give either client_secret or jwt, not both/],
    bot_ids: [UNSET, /required: a list of bot ids/],
    start_date: dayCase,
    end_date: endCase,
    window_hours: [168, /must be under 168/],
    lookback_hours: [1000, /must be 720 or less/],
    max_requests_per_minute: [61, /must be 60 or less: Kore allows 60/],
    max_requests_per_hour: [2000, /must be 1800 or less/],
    page_size: [0, /must be 1 or more/],
    channels: [[], /list at least one channel/],
    pii: ['mask', /use "drop" \(default\), "hash" \(with pii_key\) or "raw"/],
    pii_key: ['k', /only used with pii "hash" \(pii is "drop"\): remove it or set pii to "hash"/],
  },
  sunbird: {
    vendor: vendorCase,
    base_url: ['uci.example.org', /must be an http\(s\) URL: your UCI API root/],
    api_key: ['', /must not be empty/],
    user_token: [5, /expected the user token as a string/],
    channel_id: [UNSET, /required: the channel \(organisation\) id/],
    requested_by: ['', /must not be empty/],
    bot_ids: ['b', /required: a list of bot ids \(conversationIds\)/],
    start_date: dayCase,
    end_date: endCase,
    window_days: [0, /must be 1 or more/],
    job_wait_seconds: [-1, /must be 0 or more/],
    job_give_up_hours: [0, /must be 1 or more/],
    include_private_exhaust: ['yes', /expected true or false/],
    pii: ['mask', /use "drop" \(default\), "hash" \(with pii_key\) or "raw"/],
    pii_key: ['k', /only used with pii "hash" \(pii is "drop"\): remove it or set pii to "hash"/],
    encryption_key: ['zip-password', /only used with include_private_exhaust: true/],
  },
};

const DESTINATION_CASES: Record<'duckdb' | 'bigquery', { good: Record<string, unknown>; cases: Record<string, Case> }> = {
  duckdb: {
    good: { type: 'duckdb', path: './data/x.duckdb' },
    cases: {
      type: ['duck', /unknown "type": use "duckdb" or "bigquery"/],
      path: ['', /must not be empty/],
      memory_limit: ['lots', /use a size like "160MB" or "1GB"/],
      threads: [0, /must be 1 or more/],
    },
  },
  bigquery: {
    good: { type: 'bigquery', project_id: 'my-project-123', dataset: 'parley' },
    cases: {
      type: ['BigQuery', /unknown "type": use "duckdb" or "bigquery"/],
      project_id: ['my project!', /not a project id: use the project ID, e\.g\. "my-project-123"/],
      dataset: ['my-dataset', /letters, digits and underscores only/],
      location: ['', /must not be empty/],
      credentials_json: ['{"type": "service_account", "client_email": ', /not valid JSON: paste the whole service-account key file/],
      api_endpoint: ['localhost', url],
      commit_seconds: [-1, /must be 0 or more/],
    },
  },
};

const SYNC_CASES: Record<string, Case> = {
  source: ['ultimate', /required: the source config object/],
  destination: [{ type: 'postgres' }, /unknown "type": use "duckdb" or "bigquery"/],
};

const fieldsOf = (schema: unknown): string[] => Object.keys((schema as { shape: Record<string, unknown> }).shape).sort();
const withField = (good: Record<string, unknown>, field: string, bad: unknown): Record<string, unknown> => {
  const value = { ...good };
  if (bad === UNSET) delete value[field];
  else value[field] = bad;
  return value;
};
const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a config error, the config was accepted');
};

/** The message names `field` (a line `  - <field>: …`, or under it `<field>.<key>: …`), says the fix, and nothing of zod's defaults or a stack. */
function expectNamesFieldAndFix(error: Error, field: string, fix: RegExp): void {
  expect(error.name).toBe('ConfigError');
  const lines = error.message.split('\n').filter((line) => line.replace(/^\s*- /, '').match(new RegExp(`^${field.replace(/\./g, '\\.')}[.:]`)));
  expect(lines, error.message).not.toEqual([]);
  expect(lines.join('\n'), error.message).toMatch(fix);
  expect(error.message).not.toMatch(/Invalid input|Too small|Too big|Invalid option|Unrecognized key|\n\s+at /);
}

describe('every config error names its field and the fix', () => {
  it('has a case for every field of every declaration', () => {
    expect(Object.keys(SOURCE_CASES).sort()).toEqual(Object.keys(SOURCES).sort());
    for (const [vendor, source] of Object.entries(SOURCES)) expect(Object.keys(SOURCE_CASES[vendor]!).sort(), vendor).toEqual(fieldsOf(source.configSchema));
    expect(Object.keys(DESTINATION_CASES.duckdb.cases).sort()).toEqual(fieldsOf(DuckDbDestinationSchema));
    expect(Object.keys(DESTINATION_CASES.bigquery.cases).sort()).toEqual(fieldsOf(BigQueryDestinationSchema));
    expect(Object.keys(SYNC_CASES).sort()).toEqual(fieldsOf(SyncConfigSchema));
    // The good configs are good, so each case below fails for its one field only.
    for (const good of Object.values(GOOD)) expect(() => loadSource(good, 'source')).not.toThrow();
  });

  const sourceRows = Object.entries(SOURCE_CASES).flatMap(([vendor, cases]) => Object.entries(cases).map(([field, [bad, fix]]) => ({ vendor, field, bad, fix })));
  it.each(sourceRows)('$vendor $field', ({ vendor, field, bad, fix }) => {
    const config = withField(GOOD[vendor]!, field, bad);
    // As `sync` reads it (inside "source") and as `check` reads it (the bare source config).
    expectNamesFieldAndFix(errorOf(() => loadSource(config, 'source')), `source.${field}`, fix);
    expectNamesFieldAndFix(errorOf(() => loadSource(config)), field, fix);
  });

  const dir = tempDir('config-errors');
  const destinationRows = Object.entries(DESTINATION_CASES).flatMap(([type, { good, cases }]) => Object.entries(cases).map(([field, [bad, fix]]) => ({ type, good, field, bad, fix })));
  it.each(destinationRows)('destination ($type) $field', ({ type, good, field, bad, fix }) => {
    const file = writeJson(dir, `${type}-${field}.json`, { source: GOOD.ultimate, destination: withField(good, field, bad) });
    expectNamesFieldAndFix(errorOf(() => loadSyncConfig(file)), `destination.${field}`, fix);
  });

  it.each(Object.entries(SYNC_CASES))('sync config %s', (field, [bad, fix]) => {
    const file = writeJson(dir, `sync-${field}.json`, { source: GOOD.ultimate, destination: { type: 'duckdb' }, [field]: bad });
    expectNamesFieldAndFix(errorOf(() => loadSyncConfig(file)), field, fix);
  });

  it('an unknown or misspelt field is named under its path, with the field it most likely meant', () => {
    const error = errorOf(() => loadSource({ ...GOOD.kore, lookback_hour: 24 }, 'source'));
    expectNamesFieldAndFix(error, 'source.lookback_hour', /unknown field; did you mean "lookback_hours"\? remove it or fix its name/);
    const file = writeJson(dir, 'unknown-destination.json', { source: GOOD.ultimate, destination: { type: 'bigquery', project_id: 'my-project-123', dataset: 'parley', locaton: 'EU' } });
    expectNamesFieldAndFix(errorOf(() => loadSyncConfig(file)), 'destination.locaton', /did you mean "location"\?/);
  });

  it('through the CLI: check reports FAILED naming the field, sync exits 1 naming it; neither prints a stack trace', async () => {
    const check = await runCli(['check', '--config', writeJson(dir, 'check.json', withField(GOOD.genesys!, 'page_size', 20_000))]);
    expect(check.code).toBe(0);
    expect(messages(check.stdout)).toMatchObject([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: expect.stringMatching(/page_size: must be 10000 or less/) } }]);
    const source = await runCli(['sync', '--config', writeJson(dir, 'sync-source.json', { source: withField(GOOD.sunbird!, 'window_days', 2.5), destination: { type: 'duckdb', path: path.join(dir, 'x.duckdb') } })]);
    const destination = await runCli(['sync', '--config', writeJson(dir, 'sync-destination.json', { source: GOOD.ultimate, destination: { type: 'duckdb', path: path.join(dir, 'x.duckdb'), threads: 'two' } })]);
    for (const [result, expected] of [
      [source, /parley sync: configuration error: Invalid sunbird source config:\n {2}- source\.window_days: expected a whole number/],
      [destination, /parley sync: configuration error: Invalid sync config .*\n {2}- destination\.threads: expected a number, e\.g\. 5, not the string "two"/],
    ] as const) {
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
    }
  });
});
