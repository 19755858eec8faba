/**
 * The Kore.ai source's pure parts, and the engine parts it added: config validation (field-named
 * errors, the 7-day window rule), the JWT minter (claims, lifetime, minted again before expiry),
 * personal data out of rows, the window that is read but never checkpointed, and partitions read
 * side by side. Expected values are written out by hand.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JwtMinter, givenJwt, signHs256 } from '../../connector/core/jwt.js';
import { mergeGenerators } from '../../connector/core/streams/merge.js';
import { planPartition } from '../../connector/core/streams/plan.js';
import { KoreConfig } from '../../connector/sources/kore/config.js';
import { normaliseIntent, normaliseSession, scrubRow, storedUserId } from '../../connector/sources/kore/record.js';

const base = { vendor: 'kore', client_id: 'cs-1', client_secret: 'secret-1', bot_ids: ['st-1'], start_date: '2026-11-01' };
const HOUR = 3_600_000;

describe('Kore config', () => {
  it('fills the defaults beside the fields', () => {
    expect(KoreConfig.parse(base)).toMatchObject({ base_url: 'https://bots.kore.ai', window_hours: 24, lookback_hours: 48, max_requests_per_minute: 50, max_requests_per_hour: 1500, page_size: 100, pii: 'drop' });
    expect(KoreConfig.parse(base).channels).toContain('msteams');
  });

  it('accepts a 6-day window and refuses a 7-day one (the API refuses windows of 7 days or more)', () => {
    expect(KoreConfig.safeParse({ ...base, window_hours: 144 }).success).toBe(true);
    expect(KoreConfig.safeParse({ ...base, window_hours: 167 }).success).toBe(true);
    const refused = KoreConfig.safeParse({ ...base, window_hours: 168 });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({ path: ['window_hours'], message: expect.stringMatching(/under 168: the API refuses windows of 7 days or more/) });
  });

  it.each([
    [{ client_secret: undefined }, 'client_secret', /give client_secret .* or jwt/],
    [{ jwt: 'a.b.c' }, 'jwt', /either client_secret or jwt, not both/],
    [{ max_requests_per_minute: 61 }, 'max_requests_per_minute', /60 or less/],
    [{ max_requests_per_hour: 1801 }, 'max_requests_per_hour', /1800 or less/],
    [{ bot_ids: [] }, 'bot_ids', /at least one bot/],
    [{ end_date: '2026-10-01' }, 'end_date', /on or after start_date/],
    [{ base_url: 'bots.kore.ai' }, 'base_url', /http\(s\) URL/],
    [{ extra: 1 }, '', /extra/],
    [{ pii: 'hash' }, 'pii_key', /required with pii "hash"/],
    [{ pii_key: 'k' }, 'pii_key', /only used with pii "hash"/],
    [{ pii: 'sha256' }, 'pii', /"drop" \(default\), "hash" \(with pii_key\) or "raw"/],
  ])('refuses %j naming the field', (patch, field, message) => {
    const result = KoreConfig.safeParse({ ...base, ...patch });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    if (field) expect(issue.path.join('.')).toBe(field);
    expect(`${issue.message} ${JSON.stringify(issue)}`).toMatch(message);
  });
});

describe('JWT', () => {
  const parts = (token: string) => token.split('.').map((p, i) => (i < 2 ? JSON.parse(Buffer.from(p, 'base64url').toString()) : p));

  it('signs HS256 over header.payload with the secret', () => {
    const token = signHs256({ appId: 'cs-1', sub: 'x' }, 'secret-1');
    const [header, payload, signature] = parts(token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ appId: 'cs-1', sub: 'x' });
    const [h, p] = token.split('.');
    expect(signature).toBe(createHmac('sha256', 'secret-1').update(`${h}.${p}`).digest('base64url'));
  });

  it('mints tokens of at most an hour and mints again 5 minutes before expiry', () => {
    let now = Date.parse('2026-11-20T00:00:00Z');
    const minter = new JwtMinter({ claims: { appId: 'cs-1', sub: 'parley' }, secret: 's', now: () => now });
    const first = minter.token();
    const claims = parts(first)[1] as { iat: number; exp: number; appId: string };
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.appId).toBe('cs-1');
    now += 54 * 60_000;
    expect(minter.token()).toBe(first);
    now += 2 * 60_000; // 4 minutes left: a new one
    expect(minter.token()).not.toBe(first);
  });

  it('refuses a given token that is not a JWT or has expired, without showing it', () => {
    expect(() => givenJwt('secret-token', 'jwt')).toThrow(/^jwt: not a JWT/);
    const expired = signHs256({ appId: 'cs-1', exp: 1_000 }, 's');
    const token = givenJwt(expired, 'jwt');
    expect(() => token()).toThrow(/jwt: the token expired at 1970-01-01T00:16:40.000Z/);
    try {
      token();
    } catch (error) {
      expect(String(error)).not.toContain(expired);
    }
  });
});

describe('Kore rows', () => {
  it('keeps user ids that are e-mail addresses or phone numbers as pii says, drops utterances, keeps Kore ids', () => {
    const hash = { mode: 'hash', key: 'k1' } as const;
    const hmac = (text: string) => `hmac:${createHmac('sha256', 'k1').update(text).digest('hex')}`;
    for (const pii of [{ mode: 'drop' } as const, hash, { mode: 'raw' } as const]) {
      expect(storedUserId('u-1f2e3d4c-aaaa-bbbb-cccc-1234567890ab', pii)).toBe('u-1f2e3d4c-aaaa-bbbb-cccc-1234567890ab');
    }
    expect(storedUserId('Jane.Doe@example.com', { mode: 'drop' })).toBeNull();
    expect(storedUserId('+49 151 2345 6789', { mode: 'drop' })).toBeNull();
    expect(storedUserId('Jane.Doe@example.com', hash)).toBe(hmac('jane.doe@example.com'));
    expect(storedUserId('jane.doe@example.com', hash)).toBe(storedUserId('Jane.Doe@example.com', hash));
    expect(storedUserId('jane.doe@example.com', { mode: 'hash', key: 'k2' })).not.toBe(storedUserId('jane.doe@example.com', hash));
    expect(storedUserId('+49 151 2345 6789', hash)).toBe(hmac('+49 151 2345 6789'));
    expect(storedUserId('Jane.Doe@example.com', { mode: 'raw' })).toBe('Jane.Doe@example.com');
    expect(scrubRow({ userId: '+4915123456789', utterance: 'my card 4111…', intent: 'Refund' }, hash)).toEqual({ userId: hmac('+4915123456789'), intent: 'Refund' });
    expect(scrubRow({ userId: '+4915123456789', utterance: 'my card 4111…', intent: 'Refund' }, { mode: 'drop' })).toEqual({ userId: null, intent: 'Refund' });
  });

  it('stamps the containment type asked for, whatever the reply says, and types the fields', () => {
    const session = { sessionId: 's1', start_time: '2026-11-20T10:00:00.000Z', sessionStatus: 'Active', containmentType: 'Selfservice', session_lang: ['de', 'en'], isDeveloper: false, noOfMessagesExchanged: '4' };
    expect(normaliseSession({ containmentType: 'selfService', session }, 'st-1')).toMatchObject({
      bot_id: 'st-1',
      session_id: 's1',
      containment_type: 'selfService',
      reported_containment_type: 'Selfservice',
      session_status: 'active',
      ended_at: null,
      languages: ['de', 'en'],
      messages_exchanged: 4,
    });
    expect(() => normaliseSession({ containmentType: 'agent', session: { ...session, start_time: 'not-a-date' } }, 'st-1')).toThrow(/start_time: "not-a-date" is not a timestamp/);
    expect(() => normaliseSession({ containmentType: 'agent', session: { start_time: session.start_time } }, 'st-1')).toThrow(/sessionId: missing/);
    expect(normaliseIntent({ kind: 'fail', eventId: 'fail:t:1', row: { sessionId: 's1', intent: 'x', timestamp: '2026-11-20T10:01:00Z' } }, 'st-1')).toMatchObject({ intent: null, kind: 'fail', occurred_at: '2026-11-20T10:01:00.000Z' });
  });
});

describe('engine: the window containing now', () => {
  const cursor = { start: '2026-11-01T00:00:00.000Z', stepMs: 24 * HOUR, lookbackMs: 48 * HOUR, partial: 'open' as const };
  const span = (w: { start: string; end: string; open?: boolean; reread: boolean }) => `${w.start.slice(5, 13)}/${w.end.slice(5, 13)}${w.open ? ' open' : ''}${w.reread ? ' reread' : ''}`;

  it('is read after the whole windows and marked open (never checkpointed)', () => {
    const plan = planPartition('b', cursor, undefined, '2026-11-03T10:30:00.000Z');
    expect(plan.windows.map(span)).toEqual(['11-01T00/11-02T00', '11-02T00/11-03T00', '11-03T00/11-03T10 open']);
  });

  it('a later sync re-reads the lookback, then the windows since, then the open one', () => {
    const plan = planPartition('b', cursor, { cursor: '2026-11-03T00:00:00.000Z' }, '2026-11-04T06:00:00.000Z');
    expect(plan.windows.map(span)).toEqual(['11-01T00/11-02T00 reread', '11-02T00/11-03T00 reread', '11-03T00/11-04T00', '11-04T00/11-04T06 open']);
  });

  it('nothing open when the bound is on the grid', () => {
    expect(planPartition('b', cursor, undefined, '2026-11-02T00:00:00.000Z').windows.map(span)).toEqual(['11-01T00/11-02T00']);
  });
});

describe('engine: partitions side by side', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function* partition(name: string, n: number, delayMs: number, log: string[]) {
    for (let i = 0; i < n; i++) {
      await sleep(delayMs);
      log.push(`${name}${i} made`);
      yield `${name}${i}`;
    }
  }

  it('interleaves events as they come, each partition in its own order, at most `concurrency` at once', async () => {
    const log: string[] = [];
    const out: string[] = [];
    for await (const event of mergeGenerators([() => partition('a', 3, 5, log), () => partition('b', 3, 1, log), () => partition('c', 1, 1, log)], 2)) out.push(event);
    expect(out.filter((e) => e.startsWith('a'))).toEqual(['a0', 'a1', 'a2']);
    expect(out.filter((e) => e.startsWith('b'))).toEqual(['b0', 'b1', 'b2']);
    expect(out.indexOf('b0')).toBeLessThan(out.indexOf('a0')); // b is faster
    expect(out.indexOf('c0')).toBeGreaterThan(out.indexOf('b2')); // c starts once b is done
  });

  it('a producer waits until its event is taken (nothing piles up)', async () => {
    const log: string[] = [];
    const merged = mergeGenerators([() => partition('a', 5, 0, log)], 2);
    await merged.next();
    await sleep(30);
    expect(log).toEqual(['a0 made']);
    await merged.return(undefined);
  });

  it('an error ends the merge after the events before it', async () => {
    async function* failing() {
      yield 'x0';
      throw new Error('boom');
    }
    const out: string[] = [];
    await expect(
      (async () => {
        for await (const event of mergeGenerators([failing, () => partition('a', 50, 5, [])], 2)) out.push(event);
      })(),
    ).rejects.toThrow('boom');
    expect(out[0]).toBe('x0');
    expect(out.length).toBeLessThan(50);
  });
});
