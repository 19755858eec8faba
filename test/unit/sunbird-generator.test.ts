/**
 * The Sunbird UCI generator on its own: deterministic, realistic enough to exercise every trap the
 * connector and marts must handle (header eras, late rows across midnight, consent withheld, Spark's
 * `\"` escapes and newlines, empty Session IDs, malformed rows, repeat users), consistent between its
 * truth and the files rendered from it. Plus the truth helper's rules on a small scope.
 */
import fs from 'node:fs';
import { TextWriter, Uint8ArrayReader, ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { privateCsv, privateZip, responseFileChunks, SUNBIRD_RESPONSE_HEADERS } from '../../connector/simulators/sunbird/exhaust-files.js';
import { SUNBIRD_FLOWS, SUNBIRD_OPENERS } from '../../connector/simulators/sunbird/flows.js';
import {
  SUNBIRD_MAX_LAG_MS,
  SUNBIRD_MAX_SPAN_MS,
  SUNBIRD_NOT_MEANINGFUL_INTENTS,
  answersAnsweredOn,
  answersIngestedOn,
  conversationsStartingOn,
  sunbirdEra,
  sunbirdUsers,
  type SunbirdAnswer,
  type SunbirdConversation,
} from '../../connector/simulators/sunbird/generator.js';
import { sparkCsvRecords } from '../helpers/spark-csv.js';
import { conversationKeyOf, expectedResponse, responseKey, summariseConversation, sunbirdTruth } from '../helpers/sunbird-truth.js';

const BOT = 'c63b6faa-11a9-4259-b941-11cd2f8446c6';
const options = { seed: 7, conversationsPerDay: 40, v2From: '2026-11-08', v3From: '2026-11-16' };
const days = Array.from({ length: 28 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
const month: SunbirdConversation[] = days.flatMap((d) => conversationsStartingOn(BOT, d, options));
const answers: SunbirdAnswer[] = month.flatMap((c) => c.answers);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DAY = 86_400_000;
/** The zip's one entry, which must be a file. */
async function onlyFile(zip: Uint8Array): Promise<FileEntry> {
  const entries: Entry[] = await new ZipReader(new Uint8ArrayReader(zip), { useWebWorkers: false }).getEntries();
  expect(entries.length).toBe(1);
  const [entry] = entries;
  if (!entry || entry.directory) throw new Error('the zip holds no file');
  return entry;
}

describe('Sunbird generator: conversations', () => {
  it('is deterministic per seed, bot and day, with unique UUID message and session ids', () => {
    const a = conversationsStartingOn(BOT, '2026-11-10', options);
    expect(conversationsStartingOn(BOT, '2026-11-10', options)).toEqual(a);
    expect(conversationsStartingOn(BOT, '2026-11-10', { ...options, seed: 8 })).not.toEqual(a);
    expect(conversationsStartingOn('another-bot', '2026-11-10', options).map((c) => c.sessionId)).not.toEqual(a.map((c) => c.sessionId));
    const ids = answers.map((x) => x.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const sessions = month.map((c) => c.sessionId);
    expect(new Set(sessions).size).toBe(sessions.length);
    for (const id of [...ids.slice(0, 200), ...sessions.slice(0, 200), ...month.slice(0, 200).map((c) => c.deviceId)]) expect(id).toMatch(UUID);
    expect(() => conversationsStartingOn(BOT, '2026-02-30', options)).toThrow(/not a UTC day/);
  });

  it('varies the count per day within ±30% of conversationsPerDay', () => {
    const counts = days.map((d) => conversationsStartingOn(BOT, d, options).length);
    expect(new Set(counts).size).toBeGreaterThan(5);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(28);
    expect(Math.max(...counts)).toBeLessThanOrEqual(52);
    expect(conversationsStartingOn(BOT, '2026-11-10', { ...options, conversationsPerDay: 0 })).toEqual([]);
  });

  it('gives each conversation 1–8 answers seconds to minutes apart, Eof only on the last answer of a completed one', () => {
    const lengths = new Set<number>();
    for (const c of month) {
      lengths.add(c.answers.length);
      expect(c.answers.length).toBeGreaterThanOrEqual(1);
      expect(c.answers.length).toBeLessThanOrEqual(8);
      expect(c.answers[0]!.answeredMs).toBe(c.startMs);
      for (let k = 1; k < c.answers.length; k++) {
        const gap = c.answers[k]!.answeredMs - c.answers[k - 1]!.answeredMs;
        expect(gap).toBeGreaterThanOrEqual(5_000);
        expect(gap).toBeLessThanOrEqual(6 * 60_000);
      }
      expect(c.answers.at(-1)!.answeredMs - c.startMs).toBeLessThanOrEqual(SUNBIRD_MAX_SPAN_MS);
      expect(c.answers.map((x) => x.eof)).toEqual(c.answers.map((_, k) => c.completed && k === c.answers.length - 1));
      for (const x of c.answers) expect(x).toMatchObject({ deviceId: c.deviceId, sessionId: c.sessionId, botId: BOT, conversationKey: c.key });
    }
    expect(lengths).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    const completed = month.filter((c) => c.completed).length / month.length;
    expect(completed).toBeGreaterThan(0.4);
    expect(completed).toBeLessThan(0.75);
  });

  it('asks questions from the flow catalogue, often opening with a not-meaningful step', () => {
    const titles = new Set([...SUNBIRD_OPENERS, ...SUNBIRD_FLOWS.flatMap((f) => f.steps)].map((s) => s.title));
    for (const x of answers) expect(titles).toContain(x.questionTitle);
    const openers = month.filter((c) => SUNBIRD_NOT_MEANINGFUL_INTENTS.includes(c.answers[0]!.questionTitle)).length / month.length;
    expect(openers).toBeGreaterThan(0.4);
    expect(openers).toBeLessThan(0.8);
    expect(month.some((c) => c.answers.every((x) => SUNBIRD_NOT_MEANINGFUL_INTENTS.includes(x.questionTitle)))).toBe(true); // no meaningful intent at all
    expect(new Set(answers.map((x) => x.questionTitle))).toContain('Talk to a human/agent');
  });

  it('uses exactly dbt’s not_meaningful_intent_names', () => {
    const project = parse(fs.readFileSync('transformations/dbt_project.yml', 'utf8')) as { vars: { not_meaningful_intent_names: string[] } };
    expect([...SUNBIRD_NOT_MEANINGFUL_INTENTS]).toEqual(project.vars.not_meaningful_intent_names);
  });

  it('scores unmatched replies 0, and writes free text with quotes and newlines but never a backslash', () => {
    const zero = answers.filter((x) => x.questionScore === 0).length / answers.length;
    expect(zero).toBeGreaterThan(0.05);
    expect(zero).toBeLessThan(0.2);
    for (const x of answers) {
      expect([0, 1]).toContain(x.questionScore);
      expect(x.questionMaxScore).toBe(1);
      expect(Number.isInteger(x.questionDuration) && x.questionDuration >= 1).toBe(true);
      for (const text of [x.questionTitle, x.questionDescription, x.questionResponse, x.questionOptions ?? '', x.xPath]) expect(text).not.toContain('\\');
      if (x.questionType === 'TEXT') expect(x.questionOptions).toBeNull();
      else expect(JSON.parse(x.questionOptions!)).toEqual(expect.arrayContaining([{ '1': { text: expect.stringMatching(/^1 /) } }]));
      if (x.questionType === 'SINGLE_SELECT' && x.questionScore === 1 && x.questionResponse !== '') expect(JSON.parse(x.questionResponse)).toHaveLength(1);
    }
    expect(answers.some((x) => x.questionType === 'TEXT' && x.questionResponse.includes('"') && x.questionResponse.includes('\n'))).toBe(true);
    expect(answers.some((x) => x.questionDescription.includes('"'))).toBe(true);
  });

  it('serves some Session IDs empty or null (dbt then keys by device and day)', () => {
    const empty = month.filter((c) => c.answers[0]!.servedSessionId === '').length;
    const nulls = month.filter((c) => c.answers[0]!.servedSessionId === null).length;
    expect(empty).toBeGreaterThan(0);
    expect(nulls).toBeGreaterThan(0);
    expect((empty + nulls) / month.length).toBeLessThan(0.1);
  });
});

describe('Sunbird generator: ingestion days and eras', () => {
  it('files every answer by its ingestion day, after a lag of seconds to 20 minutes', () => {
    const lags = answers.map((x) => x.ingestedMs - x.answeredMs);
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...lags)).toBeLessThanOrEqual(SUNBIRD_MAX_LAG_MS);
    expect(lags.filter((l) => l > 5 * 60_000).length).toBeGreaterThan(0);
    expect(lags.filter((l) => l <= 60_000).length / lags.length).toBeGreaterThan(0.6);
    // The days' files partition the answers: none lost, none twice (days 2..27: both neighbours generated).
    const inner = days.slice(1, -1);
    const filed = inner.flatMap((d) => answersIngestedOn(BOT, d, options));
    const expected = answers.filter((x) => inner.includes(x.ingestionDay));
    expect(filed.map((x) => x.messageId).sort()).toEqual(expected.map((x) => x.messageId).sort());
    for (const d of inner) {
      const file = answersIngestedOn(BOT, d, options);
      for (const x of file) expect(x.ingestionDay).toBe(d);
      const stamps = file.map((x) => x.ingestedMs);
      expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
      for (const x of answersAnsweredOn(BOT, d, options)) expect(x.answerDay).toBe(d);
    }
  });

  it('puts answers given shortly before midnight into the next day’s file, and starts some conversations then', () => {
    const late = answers.filter((x) => x.ingestionDay !== x.answerDay);
    expect(late.length).toBeGreaterThan(3);
    for (const x of late) expect(Date.parse(`${x.ingestionDay}T00:00:00Z`) - Date.parse(`${x.answerDay}T00:00:00Z`)).toBe(DAY);
    const beforeMidnight = month.filter((c) => c.startMs % DAY > DAY - 25 * 60_000);
    expect(beforeMidnight.length).toBeGreaterThan(20);
    expect(month.some((c) => c.answers.some((x) => x.answerDay !== c.answers[0]!.answerDay))).toBe(true); // answered across midnight
    const spanning = month.filter((c) => new Set(c.answers.map((x) => x.ingestionDay)).size > 1);
    expect(spanning.length).toBeGreaterThan(3); // one conversation, two windows
  });

  it('switches header eras on v2From and v3From, by ingestion day', () => {
    expect([sunbirdEra('2026-11-07', options), sunbirdEra('2026-11-08', options), sunbirdEra('2026-11-15', options), sunbirdEra('2026-11-16', options)]).toEqual(['v1', 'v2', 'v2', 'v3']);
    expect(sunbirdEra('1999-01-01', {})).toBe('v3');
    expect(sunbirdEra('2026-11-01', { v2From: '2026-11-05' })).toBe('v1');
    expect(sunbirdEra('2026-11-05', { v2From: '2026-11-05' })).toBe('v3');
    for (const x of answers) expect(x.era).toBe(sunbirdEra(x.ingestionDay, options));
    expect(new Set(answers.map((x) => x.era))).toEqual(new Set(['v1', 'v2', 'v3']));
  });

  it('keys v1 rows uniquely by device, answer time and question, and never ties two answers of a dbt conversation', () => {
    const v1 = answers.filter((x) => x.era === 'v1').map(responseKey);
    expect(v1.length).toBeGreaterThan(100);
    expect(new Set(v1).size).toBe(v1.length);
    const byConversation = new Map<string, number[]>();
    for (const x of answers) {
      const { key } = conversationKeyOf(expectedResponse(x));
      (byConversation.get(key) ?? byConversation.set(key, []).get(key)!).push(x.answeredMs);
    }
    for (const times of byConversation.values()) expect(new Set(times).size).toBe(times.length);
  });
});

describe('Sunbird generator: users and consent', () => {
  const pool = sunbirdUsers(BOT, options);

  it('has a fixed pool per bot whose devices come back across days', () => {
    expect(pool.length).toBe(80); // 2 × conversationsPerDay
    expect(sunbirdUsers(BOT, { ...options, usersPerBot: 7 }).length).toBe(7);
    expect(sunbirdUsers(BOT, options)).toEqual(pool);
    expect(sunbirdUsers('another-bot', options).map((u) => u.deviceUuid)).not.toEqual(pool.map((u) => u.deviceUuid));
    const devices = new Set(pool.map((u) => u.deviceUuid));
    expect(devices.size).toBe(pool.length);
    const daysOf = new Map<string, Set<string>>();
    for (const c of month) {
      expect(devices).toContain(c.deviceId);
      (daysOf.get(c.deviceId) ?? daysOf.set(c.deviceId, new Set()).get(c.deviceId)!).add(c.answers[0]!.answerDay);
    }
    expect([...daysOf.values()].filter((s) => s.size >= 5).length).toBeGreaterThan(10);
  });

  it('gives consenting users a phone:91 number and an encrypted id; about 1 in 10 has no phone', () => {
    const big = sunbirdUsers(BOT, { ...options, usersPerBot: 1000 });
    const without = big.filter((u) => !u.consented);
    expect(without.length / big.length).toBeGreaterThan(0.06);
    expect(without.length / big.length).toBeLessThan(0.14);
    for (const u of big) {
      expect(u.phone).toEqual(u.consented ? expect.stringMatching(/^phone:91[6-9]\d{9}$/) : '');
      expect(Buffer.from(u.encryptedDeviceId, 'base64').toString('base64')).toBe(u.encryptedDeviceId);
      expect(u.encryptedDeviceId.length).toBe(64);
      expect(u.deviceUuid).toMatch(UUID);
    }
  });

  it('withholds every response of a user who did not consent (Question Response "")', () => {
    const consented = new Map(pool.map((u) => [u.deviceUuid, u.consented]));
    const withheld = answers.filter((x) => x.questionResponse === '');
    expect(withheld.length).toBeGreaterThan(0);
    for (const x of answers) expect(x.questionResponse === '').toBe(!consented.get(x.deviceId));
  });
});

describe('Sunbird generator: malformed rows', () => {
  it('marks every Nth answer of a (bot, day) malformed, alternating missing Device ID and a bad Timestamp', () => {
    const plain = conversationsStartingOn(BOT, '2026-11-10', options).flatMap((c) => c.answers);
    const broken = conversationsStartingOn(BOT, '2026-11-10', { ...options, invalidEvery: 9 }).flatMap((c) => c.answers);
    expect(plain.some((x) => x.invalid !== null)).toBe(false);
    const invalid = broken.filter((x) => x.invalid !== null);
    expect(invalid.length).toBe(Math.floor(broken.length / 9));
    expect(new Set(invalid.map((x) => x.invalid))).toEqual(new Set(['missing-device', 'bad-timestamp']));
    expect(broken.map((x) => ({ ...x, invalid: null }))).toEqual(plain); // the same answers otherwise
  });
});

describe('Sunbird exhaust files', () => {
  const broken = { ...options, invalidEvery: 5 };
  const day = (d: string) => answersIngestedOn(BOT, d, broken);
  const render = (rows: SunbirdAnswer[], era: 'v1' | 'v2' | 'v3', perChunk?: number) => [...responseFileChunks(rows, era, perChunk)].join('');

  it('writes each era’s header exactly as the contract lists it', () => {
    expect(SUNBIRD_RESPONSE_HEADERS.v1.join(',')).toBe('Conversation ID,Conversation Name,Device ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,Timestamp,@timestamp');
    expect(SUNBIRD_RESPONSE_HEADERS.v2.join(',')).toBe(
      'Message ID,Conversation ID,Conversation Name,Device ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,X Path,Eof,Timestamp,@timestamp',
    );
    expect(SUNBIRD_RESPONSE_HEADERS.v3.join(',')).toBe(
      'Message ID,Conversation ID,Conversation Name,Device ID,Session ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,X Path,Eof,Timestamp,@timestamp',
    );
  });

  it('renders rows the Spark way, read back cell for cell by an independent parser', () => {
    for (const [d, era] of [['2026-11-05', 'v1'], ['2026-11-10', 'v2'], ['2026-11-20', 'v3']] as const) {
      const rows = day(d);
      const text = render(rows, era);
      expect(text.split('\n', 1)[0]).toBe(SUNBIRD_RESPONSE_HEADERS[era].join(','));
      expect(text).toContain('\\"'); // JSON options: backslash-escaped quotes, never doubled
      expect(text).not.toContain('""{');
      const { header, records } = sparkCsvRecords(text);
      expect(header).toEqual(SUNBIRD_RESPONSE_HEADERS[era]);
      expect(records.length).toBe(rows.length);
      records.forEach((r, k) => {
        const x = rows[k]!;
        expect(r['Conversation ID']).toBe(BOT);
        expect(r['Device ID']).toBe(x.invalid === 'missing-device' ? null : x.deviceId);
        expect(r.Timestamp).toBe(x.invalid === 'bad-timestamp' ? 'not-a-time' : String(x.answeredMs));
        expect(r['@timestamp']).toBe(new Date(x.ingestedMs).toISOString());
        expect(r['Question Description']).toBe(x.questionDescription);
        expect(r['Question Options']).toBe(x.questionOptions);
        expect(r['Question Response']).toBe(x.questionResponse);
        expect(r['Question Score']).toBe(x.questionScore === 1 ? '1.0' : '0.0');
        expect(r['Question Max Score']).toBe('1.0');
        expect(r['Question Duration']).toBe(String(x.questionDuration));
        if (era === 'v1') expect(Object.keys(r)).not.toContain('Message ID');
        else expect(r).toMatchObject({ 'Message ID': x.messageId, Eof: String(x.eof), 'X Path': x.xPath });
        if (era === 'v3') expect(r['Session ID']).toBe(x.servedSessionId);
      });
      expect(records.some((r) => r['Question Response'] === '')).toBe(true);
    }
    // Chunking changes nothing but the chunk boundaries.
    expect(render(day('2026-11-20'), 'v3', 1)).toBe(render(day('2026-11-20'), 'v3'));
    for (const n of [9, 10, 11]) expect([...responseFileChunks(day('2026-11-20').slice(0, n), 'v3', 10)].length, `${n} rows`).toBe(Math.ceil(n / 10)); // the header rides in the first chunk
  });

  it('writes Spark’s empty-string and null cells apart, and quotes strings with newlines', () => {
    const text = render(day('2026-11-20'), 'v3');
    expect(text).toMatch(/,"",/); // consent withheld: an empty string
    expect(text).toMatch(/"TEXT","[^"]+","[^"]*",\d+,\d\.0,1\.0,,/); // a text question's Options: null
    expect(text).toMatch(/,(true|false),\d{13},"\d{4}-\d\d-\d\dT[\d:.]+Z"\n/);
  });

  it('lists every user in the private exhaust, zipped with or without a password', async () => {
    const users = sunbirdUsers(BOT, options);
    const { header, records } = sparkCsvRecords(privateCsv(users));
    expect(header).toEqual(['Conversation ID', 'Conversation Name', 'Decrypted Device ID', 'Encrypted Device ID', 'Device UUID']);
    expect(records.map((r) => r['Device UUID'])).toEqual(users.map((u) => u.deviceUuid));
    expect(records.map((r) => r['Decrypted Device ID'])).toEqual(users.map((u) => u.phone));
    expect(records.some((r) => r['Decrypted Device ID'] === '')).toBe(true);
    const plain = await privateZip(BOT, users, { modifiedMs: Date.parse('2026-11-21T02:00:00Z') });
    const entry = await onlyFile(plain);
    expect(entry.filename).toBe(`${BOT}_private.csv`);
    expect(entry.encrypted).toBe(false);
    expect(await entry.getData(new TextWriter())).toBe(privateCsv(users));
    const locked = await privateZip(BOT, users, { password: 's3cret', modifiedMs: Date.parse('2026-11-21T02:00:00Z') });
    const secret = await onlyFile(locked);
    expect(secret.encrypted).toBe(true);
    await expect(secret.getData(new TextWriter())).rejects.toThrow();
    await expect(secret.getData(new TextWriter(), { password: 'wrong' })).rejects.toThrow();
    expect(await secret.getData(new TextWriter(), { password: 's3cret' })).toBe(privateCsv(users));
  });
});

describe('Sunbird truth helper', () => {
  const generator = { ...options, invalidEvery: 11 };
  const asOfMs = Date.parse('2026-11-22T03:00:00Z');
  const truth = sunbirdTruth({ botIds: [BOT, 'second-bot'], startDate: '2026-11-06', untilDay: '2026-11-22', generator, asOfMs });

  it('loads one window per day per bot, with late rows and quarantined rows counted', () => {
    expect(truth.windows.length).toBe(32);
    expect(truth.windows.every((w) => w.status === 'loaded')).toBe(true);
    const rows = truth.windows.reduce((n, w) => n + w.rows, 0);
    expect(truth.responses.size).toBe(rows);
    expect(truth.quarantined.length).toBe(truth.windows.reduce((n, w) => n + w.quarantined, 0));
    expect(truth.quarantined.length).toBeGreaterThan(10);
    const late = [...truth.responses.values()].filter((r) => new Date(r.answeredMs).toISOString().slice(0, 10) < r.windowStart);
    expect(late.length).toBeGreaterThan(0);
    expect(truth.completeDays[BOT]).toEqual(days.slice(5, 20));
    const empty = sunbirdTruth({ botIds: [BOT], startDate: '2026-11-22', untilDay: '2026-11-24', generator, asOfMs });
    expect(empty.windows.map((w) => [w.windowStart, w.status])).toEqual([['2026-11-22', 'loaded'], ['2026-11-23', 'empty']]);
    expect(empty.responses.size).toBeGreaterThan(0);
    for (const r of empty.responses.values()) expect(r.ingestedMs).toBeLessThanOrEqual(asOfMs);
  });

  it('follows each era’s columns: no Message ID, Eof or Session ID in v1, no Session ID in v2', () => {
    const byEra = (era: string) => [...truth.responses.values()].filter((r) => r.era === era);
    for (const r of byEra('v1')) expect([r.messageId, r.eof, r.xPath, r.sessionId, r.fileHasEof]).toEqual([null, null, null, null, false]);
    for (const r of byEra('v2')) expect([typeof r.messageId, typeof r.eof, r.sessionId, r.fileHasEof]).toEqual(['string', 'boolean', null, true]);
    expect(byEra('v3').filter((r) => r.sessionId !== null).length).toBeGreaterThan(byEra('v3').length * 0.9);
  });

  it('keys conversations by session, else by device and day, with dbt’s outcome and intent rules', () => {
    const conversations = [...truth.conversations.values()];
    expect(new Set(conversations.map((c) => c.containment))).toEqual(new Set(['contained', 'abandoned', null]));
    for (const c of conversations) {
      expect(c.sessionId === null).toBe(c.day !== null);
      expect(c.startedMs).toBeLessThanOrEqual(c.endedMs);
    }
    // a v3 conversation is the generator's conversation (unless cut by the scope or an empty Session ID)
    const v3 = conversations.find((c) => c.sessionId !== null && c.visitorMessages >= 4 && c.firstMeaningfulIntent !== c.firstIntent)!;
    const source = month.find((c) => c.sessionId === v3.sessionId)!;
    expect(v3.firstIntent).toBe(source.answers[0]!.questionTitle);
    expect(v3.lastIntent).toBe(source.answers.at(-1)!.questionTitle);
    expect(v3.containment).toBe(source.completed && source.answers.at(-1)!.invalid === null ? 'contained' : 'abandoned');
    // v1 conversations have no outcome; merged by device and day they may hold two of the generator's
    const v1 = conversations.filter((c) => c.day !== null && c.day < '2026-11-08');
    expect(v1.length).toBeGreaterThan(0);
    for (const c of v1) expect(c.containment).toBeNull();
    const summary = summariseConversation([...truth.responses.values()].filter((r) => conversationKeyOf(r).key === v3.key));
    expect(summary).toEqual(v3);
    const daily = truth.daily.filter((d) => d.botId === BOT);
    expect(daily.reduce((n, d) => n + d.conversations, 0)).toBe(conversations.filter((c) => c.botId === BOT).length);
    expect(daily.reduce((n, d) => n + d.notUnderstoodMessages, 0)).toBeGreaterThan(0);
    expect(truth.users.length).toBe(160);
  });
});
