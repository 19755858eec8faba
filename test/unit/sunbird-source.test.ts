/**
 * The Sunbird source's own parts: config errors that name the field, CSV by header name across the
 * header eras with Spark's `\"` escapes, rows normalised or quarantined with a reason, personal data
 * per `pii`, and request tags unique per window and attempt.
 */
import crypto from 'node:crypto';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvBatches, type CsvRow } from '../../connector/core/csv.js';
import { keepPersonal } from '../../connector/core/pii.js';
import { InvalidRecord } from '../../connector/core/quarantine.js';
import { SunbirdConfig } from '../../connector/sources/sunbird/config.js';
import { requestTag } from '../../connector/sources/sunbird/exhaust.js';
import { contentKey, normaliseResponse, normaliseUser, parseInstant, responseItem, userItem } from '../../connector/sources/sunbird/record.js';

const base = { vendor: 'sunbird', base_url: 'https://uci.example.org/api', api_key: 'k', user_token: 't', channel_id: 'ch', requested_by: 'u', bot_ids: ['b1'], start_date: '2026-11-01' };

async function parse(text: string | string[], label = 'f.csv'): Promise<{ header: readonly string[]; rows: CsvRow[] }> {
  const rows: CsvRow[] = [];
  let header: readonly string[] = [];
  for await (const batch of csvBatches(Array.isArray(text) ? text : [text], { escapeChar: '\\', label })) {
    header = batch.header;
    rows.push(...batch.rows);
  }
  return { header, rows };
}

describe('Sunbird config', () => {
  it('takes the defaults and refuses what cannot work, naming the field', () => {
    const config = SunbirdConfig.parse(base);
    expect([config.window_days, config.job_wait_seconds, config.job_give_up_hours, config.pii, config.include_private_exhaust]).toEqual([1, 60, 72, 'drop', false]);
    const issue = (extra: Record<string, unknown>) => SunbirdConfig.safeParse({ ...base, ...extra }).error?.issues[0];
    expect(issue({ pii: 'hash' })).toMatchObject({ path: ['pii_key'], message: expect.stringContaining('required with pii "hash"') });
    expect(issue({ pii_key: 'x' })).toMatchObject({ path: ['pii_key'] });
    expect(issue({ encryption_key: 'x' })).toMatchObject({ path: ['encryption_key'], message: expect.stringContaining('include_private_exhaust') });
    expect(issue({ end_date: '2026-10-01' })).toMatchObject({ path: ['end_date'] });
    expect(issue({ pii: 'plain' })).toMatchObject({ path: ['pii'], message: expect.stringContaining('"drop"') });
    expect(issue({ channel: 'x' })?.code).toBe('unrecognized_keys');
  });
});

describe('CSV by header name', () => {
  it("reads Spark's quoting: \\\" inside quoted cells, newlines in cells, \"\" as empty, numbers unquoted", async () => {
    const { header, rows } = await parse('"a","b","c"\n"say \\"hi\\"\nthere",1.0,""\n,"x",true\n');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(rows.map((r) => r.fields)).toEqual([
      { a: 'say "hi"\nthere', b: '1.0', c: '' },
      { a: '', b: 'x', c: 'true' },
    ]);
  });

  it('keeps a character split across two chunks whole, and strips a byte-order mark', async () => {
    const bytes = Buffer.from('\uFEFFname\n"Jürgen ✓"\n', 'utf8');
    const cut = bytes.indexOf(Buffer.from('✓')) + 1; // inside the three bytes of ✓
    const rows: CsvRow[] = [];
    for await (const batch of csvBatches([bytes.subarray(0, cut), bytes.subarray(cut)], { escapeChar: '\\', label: 'f' })) rows.push(...batch.rows);
    expect(rows.map((r) => r.fields)).toEqual([{ name: 'Jürgen ✓' }]);
  });

  it('hands out a row with the wrong number of cells with a problem, and refuses a file cut inside a quote', async () => {
    const { rows } = await parse('a,b\n1,2\n3\n4,5,6\n7,8\n');
    expect(rows.map((r) => [r.row, r.problem])).toEqual([
      [1, undefined],
      [2, 'row 2 has 1 cells but the header has 2'],
      [3, 'row 3 has 3 cells but the header has 2'],
      [4, undefined],
    ]);
    await expect(parse('a,b\n"1,2\n')).rejects.toThrow(/ends inside a quoted cell/);
  });

  it("names a repeated or padded header like papaparse's header mode, and maps the cells the same", async () => {
    const text = '\uFEFF a ,b,a,a_1,a, b\n1,2,3,4,5,6\n7,8\n';
    const { header, rows } = await parse(text);
    const reference = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true, transformHeader: (name) => name.trim() });
    expect(header).toEqual(reference.meta.fields);
    expect(header).toEqual(['a', 'b', 'a_2', 'a_1', 'a_3', 'b_1']);
    expect(rows[0]!.fields).toEqual(reference.data[0]);
    expect(rows[1]!.fields).toEqual({ a: '7', b: '8', a_2: '', a_1: '', a_3: '', b_1: '' });
    expect(rows[1]!.problem).toBe('row 2 has 2 cells but the header has 6');
  });

  it('streams a large file in many batches', async () => {
    const lines = ['"k","v"', ...Array.from({ length: 20_000 }, (_, i) => `"${i}","${'x'.repeat(20)}"`)];
    let batches = 0;
    let count = 0;
    for await (const batch of csvBatches([lines.join('\n')], { escapeChar: '\\', label: 'big' })) {
      batches++;
      count += batch.rows.length;
    }
    expect(count).toBe(20_000);
    expect(batches).toBeGreaterThan(1);
  });

  it('reads its input only as fast as the batches are taken (a slow consumer does not buffer the download)', async () => {
    const chunks = 2_000;
    let pulled = 0;
    async function* download(): AsyncGenerator<string> {
      yield '"k","v"\n';
      for (let i = 0; i < chunks; i++) {
        pulled++;
        yield `"${i}","${'x'.repeat(64 * 1024)}"\n`;
      }
    }
    const pulledWhileWaiting: number[] = [];
    let count = 0;
    for await (const batch of csvBatches(download(), { escapeChar: '\\', label: 'slow' })) {
      count += batch.rows.length;
      if (pulledWhileWaiting.length < 3) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        pulledWhileWaiting.push(pulled);
      }
    }
    expect(count).toBe(chunks);
    // Three slow batches in, the reader is a few chunks ahead, not through the file (~128 MiB).
    expect(pulledWhileWaiting[2]).toBeLessThan(100);
  });
});

const V1 = 'Conversation ID,Conversation Name,Device ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,Timestamp,@timestamp';
const V3 =
  'Message ID,Conversation ID,Conversation Name,Device ID,Session ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,X Path,Eof,Timestamp,@timestamp';

describe('response rows', () => {
  it('normalises a current-era row by name: JSON cells parsed, consent withheld, Eof, times in UTC', async () => {
    const { header, rows } = await parse(
      `${V3}\n"m1","b1","Bot","d1","s1","q1","SINGLE_SELECT","Start","Pick",4,1.0,1.0,"[{\\"1\\":{\\"text\\":\\"1 Yes\\"}}]","","/a",true,1796126400000,"2026-12-01T12:00:05.000Z"\n`,
    );
    const data = normaliseResponse(responseItem('f.csv', header, rows[0]!), 'b1', '2026-12-01T00:00:00.000Z');
    expect(data).toMatchObject({
      response_id: 'm1',
      session_id: 's1',
      question_title: 'Start',
      question_score: 1,
      question_options: [{ '1': { text: '1 Yes' } }],
      question_response: null,
      consent_withheld: true,
      eof: true,
      file_has_eof: true,
      answered_at: '2026-12-01T12:00:00.000Z',
      ingested_at: '2026-12-01T12:00:05.000Z',
      window_start: '2026-12-01',
    });
  });

  it('reads the oldest era (no Message ID, Session ID, X Path, Eof): a content key, eof unknown', async () => {
    const { header, rows } = await parse(`${V1}\n"b1","Bot","d1","q1","TEXT","Name?","",3,0.0,1.0,"","free text",1796126400000,"2026-12-01T12:00:05.000Z"\n`);
    const item = responseItem('f.csv', header, rows[0]!);
    const data = normaliseResponse(item, 'b1', '2026-12-01T00:00:00.000Z');
    expect(data).toMatchObject({ message_id: null, session_id: null, eof: null, file_has_eof: false, question_score: 0, question_response: 'free text', consent_withheld: false });
    const expected = crypto.createHash('sha256').update(JSON.stringify(Object.entries(rows[0]!.fields).filter(([k]) => k !== '@timestamp').sort())).digest('hex');
    expect(data.response_id).toBe(`content:${expected}`);
    // the same row stamped again by the vendor keeps its key
    expect(contentKey({ ...rows[0]!.fields, '@timestamp': '2026-12-02T00:00:00Z' })).toBe(data.response_id);
  });

  it('quarantines what cannot be keyed or dated, saying which cell', async () => {
    const { header, rows } = await parse(`${V3}\n"m1","b1","Bot","","s1","q1","T","t","",1,1.0,1.0,"","a","/a",false,1796126400000,""\n"m2","other","Bot","d","s","q","T","t","",1,1.0,1.0,"","a","/a",false,1796126400000,""\n"m3","b1","Bot","d","s","q","T","t","",1,1.0,1.0,"","a","/a",false,"noon",""\n"m4","b1","Bot","d","s","q","T","t","",x,1.0,1.0,"","a","/a",false,1796126400000,""\n`);
    const reasons = rows.map((row) => {
      try {
        normaliseResponse(responseItem('f.csv', header, row), 'b1', '2026-12-01T00:00:00.000Z');
        return 'ok';
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRecord);
        return (error as Error).message;
      }
    });
    expect(reasons).toEqual(['Device ID is empty', 'Conversation ID is "other", not the bot requested (b1)', 'Timestamp is not a time (got "noon")', 'Question Duration is not a number (got "x")']);
  });

  it('reads instants as epoch ms, ISO with a zone, or zone-less text as UTC', () => {
    expect(parseInstant('1796126400000')).toBe('2026-12-01T12:00:00.000Z');
    expect(parseInstant('2026-12-01T12:00:00+05:30')).toBe('2026-12-01T06:30:00.000Z');
    expect(parseInstant('2026-12-01 12:00:00.250')).toBe('2026-12-01T12:00:00.250Z');
    expect(parseInstant('yesterday')).toBeUndefined();
  });

  it('reads ISO UTC instants exactly as Date.parse does, at the edges of every part', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    let read = 0;
    for (const year of [1900, 2000, 2024, 2026, 2100])
      for (let month = 0; month <= 13; month++)
        for (const day of [0, 1, 28, 29, 30, 31, 32])
          for (const [h, m, s] of [[0, 0, 0], [23, 59, 59], [24, 0, 0], [12, 60, 0], [12, 0, 60]] as const) {
            const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(m)}:${pad(s)}.${pad(day * 7, 3)}Z`;
            const millis = Date.parse(text);
            expect(parseInstant(text), text).toBe(Number.isNaN(millis) ? undefined : new Date(millis).toISOString());
            if (!Number.isNaN(millis)) read++;
          }
    expect(read).toBeGreaterThan(500); // both kinds are in the grid
  });
});

describe('personal data', () => {
  const row: CsvRow = { row: 1, fields: { 'Conversation ID': 'b1', 'Conversation Name': 'Bot', 'Decrypted Device ID': 'phone:919876543210', 'Encrypted Device ID': 'ZW5j', 'Device UUID': 'd1' } };

  it('drops phone numbers by default, hashes them with HMAC under the key, keeps them raw only when asked', () => {
    const dropped = userItem('u.zip', row, { mode: 'drop' });
    expect(JSON.stringify(dropped)).not.toContain('9876543210');
    expect(normaliseUser(dropped, 'b1', '2026-12-01')).toMatchObject({ device_uuid: 'd1', phone: null, encrypted_device_id: null });

    const hashed = normaliseUser(userItem('u.zip', row, { mode: 'hash', key: 'secret' }), 'b1', '2026-12-01');
    const hmac = crypto.createHmac('sha256', 'secret').update('phone:919876543210').digest('hex');
    expect(hashed.phone).toBe(`hmac:${hmac}`);
    expect(hashed.phone).not.toBe(`hmac:${crypto.createHash('sha256').update('phone:919876543210').digest('hex')}`);
    expect(keepPersonal('phone:919876543210', { mode: 'hash', key: 'other' })).not.toBe(hashed.phone);

    expect(normaliseUser(userItem('u.zip', row, { mode: 'raw' }), 'b1', '2026-12-01').phone).toBe('phone:919876543210');
  });

  it('a quarantined user row holds no phone number either', () => {
    const broken = userItem('u.zip', { ...row, problem: 'row 1 has 4 cells but the header has 5' }, { mode: 'drop' });
    expect(() => normaliseUser(broken, 'b1', '2026-12-01')).toThrow(InvalidRecord);
    expect(JSON.stringify(broken)).not.toMatch(/98765|ZW5j/);
  });
});

describe('request tags', () => {
  it('are the same for the same window and attempt (a re-run the same day gets the same job back), different otherwise', () => {
    const tag = requestTag('host/ch', 'uci-response-exhaust', 'b1', '2026-11-01', '2026-11-01', 1);
    expect(tag).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(requestTag('host/ch', 'uci-response-exhaust', 'b1', '2026-11-01', '2026-11-01', 1)).toBe(tag);
    const others = [
      requestTag('host/ch', 'uci-response-exhaust', 'b1', '2026-11-01', '2026-11-01', 2),
      requestTag('host/ch', 'uci-response-exhaust', 'b1', '2026-11-02', '2026-11-02', 1),
      requestTag('host/ch', 'uci-response-exhaust', 'b2', '2026-11-01', '2026-11-01', 1),
      requestTag('host/ch', 'uci-private-exhaust', 'b1', '2026-11-01', '2026-11-01', 1),
      requestTag('host/ch2', 'uci-response-exhaust', 'b1', '2026-11-01', '2026-11-01', 1),
    ];
    expect(new Set([tag, ...others]).size).toBe(6);
  });
});
