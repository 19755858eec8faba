/**
 * Personal data, every vendor, on real parts: each simulator over HTTP → `parley sync` into a real
 * DuckDB file, once per `pii` mode. Then every cell of every table (typed columns, `record` JSON,
 * `_parley_quarantine`, `_parley_state`, completeness tables), cast to text, and the sync's log are
 * searched for every personal value the simulator served — collected here from the generators'
 * own output (what they put in: names, e-mails, phone numbers, contact ids, attributes), never from
 * the connector. drop and hash: none found (hash: `hmac:` values instead). raw: each kind is found,
 * so the search can fail.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { conversationsStartingOn } from '../../connector/simulators/genesys/generator.js';
import { startGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { sessionsStartingOn } from '../../connector/simulators/kore/generator.js';
import { startKoreSimulator } from '../../connector/simulators/kore/server.js';
import { sunbirdUsers } from '../../connector/simulators/sunbird/generator.js';
import { startSunbirdSimulator } from '../../connector/simulators/sunbird/server.js';
import { conversationsEndingOn, invalidLinesFor } from '../../connector/simulators/ultimate/generator.js';
import { startUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { warehouseText } from '../helpers/warehouse-text.js';

await clearOfMidnight(5 * 60_000);
const today = todayUtc();
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

const closers: Array<() => Promise<void>> = [];
afterAll(async () => Promise.all(closers.map((close) => close())));

/** Personal values by kind (e.g. "email" → every e-mail address served). */
type Personal = Record<string, string[]>;
type Mode = 'drop' | 'hash' | 'raw';
const modeOptions = (mode: Mode) => (mode === 'hash' ? { pii: 'hash', pii_key: 'personal-data-test-key' } : { pii: mode });

/** Syncs `source` into a fresh DuckDB file; returns every table's text and the sync's log. */
async function syncAndRead(name: string, source: Record<string, unknown>): Promise<{ tables: Map<string, string>; log: string }> {
  const dir = tempDir(`pii-${name}`);
  const database = path.join(dir, 'parley.duckdb');
  const config = writeJson(dir, 'sync.json', { source, destination: { type: 'duckdb', path: database } });
  const result = await runCli(['sync', '--config', config]);
  expect(result.code, result.stderr.slice(-3000)).toBe(0);
  return { tables: await warehouseText(database), log: result.stdout + result.stderr };
}

/** The warehouse holds records, quarantined ones included; and the personal values are (raw) or are not (drop, hash) in it. */
function expectPersonal(mode: Mode, personal: Personal, { tables, log }: { tables: Map<string, string>; log: string }, quarantined: boolean) {
  const all = [...tables.values()].join('\n');
  if (quarantined) expect(tables.get('"main"."_parley_quarantine"') ?? '', 'quarantine rows').not.toBe('');
  for (const [kind, values] of Object.entries(personal)) {
    expect(values.length, `${kind}: the generator served some`).toBeGreaterThan(0);
    if (mode === 'raw') {
      expect(values.some((v) => all.includes(v)), `${kind} stored with pii "raw"`).toBe(true);
      continue;
    }
    for (const value of values) {
      const where = [...tables].filter(([, text]) => text.includes(value)).map(([table]) => table);
      expect(where, `${kind} ${value} with pii "${mode}"`).toEqual([]);
      expect(log.includes(value), `${kind} ${value} in the log`).toBe(false);
    }
  }
  if (mode === 'hash') expect(all).toMatch(/hmac:[0-9a-f]{64}/);
  if (mode !== 'hash') expect(all).not.toMatch(/hmac:[0-9a-f]{64}/);
}

const MODES: Mode[] = ['drop', 'hash', 'raw'];

describe('Genesys Cloud: participant names, externalContactId, attributes, ani / dnis', () => {
  const clock = Date.parse(`${today}T00:00:00.000Z`);
  const startDate = addDays(today, -2);
  const generator = { seed: 5, conversationsPerDay: 30, invalidEvery: 6 };
  const personal: Personal = {};
  for (const day of days(addDays(startDate, -1), today)) {
    for (const { truth } of conversationsStartingOn(day, generator)) {
      for (const [kind, value] of Object.entries(truth.personal)) if (value !== undefined) (personal[kind] ??= []).push(value);
    }
  }
  const simulator = startGenesysSimulator({ now: () => clock, generator, faults: { pendingPolls: 0, availabilityLagHours: 1 } });
  closers.push(async () => (await simulator).close());

  it.each(MODES)('pii %s', async (mode) => {
    const { url } = await simulator;
    const read = await syncAndRead(`genesys-${mode}`, {
      vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: startDate,
      base_url: url, login_url: url, page_size: 50, job_poll_seconds: 0.02, max_requests_per_minute: 6000, ...modeOptions(mode),
    });
    expectPersonal(mode, personal, read, true);
  });
});

describe('Ultimate: the pii_fields paths of conversations_data', () => {
  const bots = ['pii-bot-a'];
  const startDate = addDays(today, -2);
  const generator = { seed: 8, conversationsPerDay: 40, invalidEvery: 6 };
  const personal: Personal = { email: [], name: [], phone: [] };
  for (const bot of bots) {
    for (const day of days(startDate, addDays(today, -1))) {
      for (const c of conversationsEndingOn(bot, day, generator)) {
        const data = c.conversations_data as { email?: string; name?: string; contact?: { phone?: string } };
        if (data.email) personal.email!.push(data.email);
        if (data.name) personal.name!.push(data.name);
        if (data.contact?.phone) personal.phone!.push(data.contact.phone);
      }
      // The broken lines (quarantined) carry personal data too; some are not JSON, so read them as text.
      for (const { line } of invalidLinesFor(bot, day, generator)) {
        for (const m of line.matchAll(/[a-z]+\.[a-z]+\d+@example\.com/g)) personal.email!.push(m[0]);
        for (const m of line.matchAll(/\+44 7700 9\d{5}/g)) personal.phone!.push(m[0]);
      }
    }
  }
  const simulator = startUltimateSimulator({ today, generator });
  closers.push(async () => (await simulator).close());

  it.each(MODES)('pii %s', async (mode) => {
    const { url } = await simulator;
    const read = await syncAndRead(`ultimate-${mode}`, {
      vendor: 'ultimate', base_url: url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: startDate,
      max_requests_per_second: 100, pii_fields: ['email', 'name', 'contact.phone'], ...modeOptions(mode),
    });
    expectPersonal(mode, personal, read, true);
  });
});

describe('Kore.ai: userId when it is an e-mail address or a phone number', () => {
  const bots = ['st-pii-1'];
  const startDate = addDays(today, -2);
  const endDate = addDays(today, -1);
  const generator = { seed: 13, sessionsPerDay: 40, invalidEvery: 6 };
  const personal: Personal = { email: [], phone: [] };
  const kept: string[] = [];
  for (const bot of bots) {
    for (const day of days(addDays(startDate, -1), endDate)) {
      for (const { truth } of sessionsStartingOn(bot, day, generator)) {
        if (!truth.userIdPersonal) kept.push(truth.userId);
        else (truth.userId.includes('@') ? personal.email! : personal.phone!).push(truth.userId);
      }
    }
  }
  const simulator = startKoreSimulator({ generator });
  closers.push(async () => (await simulator).close());

  it.each(MODES)('pii %s', async (mode) => {
    const { url } = await simulator;
    const read = await syncAndRead(`kore-${mode}`, {
      vendor: 'kore', base_url: url, client_id: 'sim-client-id', client_secret: 'sim-client-secret', bot_ids: bots,
      start_date: startDate, end_date: endDate, max_requests_per_minute: 60, ...modeOptions(mode),
    });
    expectPersonal(mode, personal, read, true);
    // A user id that is neither stays as it is, whatever the mode.
    const all = [...read.tables.values()].join('\n');
    expect(kept.filter((id) => all.includes(id)).length).toBeGreaterThan(0);
  });
});

describe('Sunbird UCI: phone numbers of the private exhaust', () => {
  const bots = ['sb-pii-1'];
  const generator = { seed: 17, conversationsPerDay: 10 };
  const users = bots.flatMap((bot) => sunbirdUsers(bot, generator));
  const personal: Personal = { phone: users.map((u) => u.phone).filter((p) => p !== ''), encrypted_device_id: users.map((u) => u.encryptedDeviceId) };
  const simulator = startSunbirdSimulator({ generator, batchEverySeconds: 'immediate' });
  closers.push(async () => (await simulator).close());

  it.each(MODES)('pii %s', async (mode) => {
    const { baseUrl } = await simulator;
    const read = await syncAndRead(`sunbird-${mode}`, {
      vendor: 'sunbird', base_url: baseUrl, api_key: 'sim-api-key', user_token: 'sim-user-token', channel_id: 'sim-channel', requested_by: 'pii-user',
      bot_ids: bots, start_date: addDays(today, -1), job_wait_seconds: 10, include_private_exhaust: true, ...modeOptions(mode),
    });
    expectPersonal(mode, personal, read, false);
  });
});
