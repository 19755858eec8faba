import { describe, it, expect } from 'vitest';
import {
  conversationsEndingOn,
  exportFileChunks,
  fileCountFor,
  formatFor,
  invalidLinesFor,
  type ExportDayState,
  type TruthConversation,
  type UltimateGeneratorOptions,
} from '../../connector/simulators/ultimate/generator.js';

const BOTS = ['bot-alpha', 'bot-beta', 'bot-gamma'];
const dates = (from: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
const JUNE = dates('2024-06-01', 30);

const fileTexts = (bot: string, date: string, opts: Partial<UltimateGeneratorOptions>, state?: ExportDayState): string[] =>
  Array.from({ length: fileCountFor(bot, date, opts) }, (_, f) => [...exportFileChunks(bot, date, f, opts, state)].join(''));

/** The wire elements of one file (NDJSON lines or array elements) as text, in order. */
function wireElements(text: string, jsonArray: boolean): string[] {
  if (jsonArray) return (JSON.parse(text) as unknown[]).map((e) => JSON.stringify(e));
  return text.split('\n').filter((line) => line !== '');
}

// A reference normaliser, written from the documented quirks (sources.md §1), not from the generator.
const COUNTS = ['bot_messages_count', 'visitor_messages_count', 'not_understood_messages_count', 'llm_notUnderstood_count',
  'llm_responseGenerated_count', 'llm_errorOccurred_count', 'llm_escalationRequired_count', 'llm_fallback_count'];
const CANONICAL = new Map([...Object.keys(conversationsEndingOn('bot-alpha', '2024-06-01')[0] ?? {})].map((k) => [k.toLowerCase(), k]));
CANONICAL.set('conversation_data', 'conversations_data');
const toIso = (v: unknown): unknown => (typeof v === 'number' ? new Date(v).toISOString() : v);
function normalise(raw: Record<string, unknown>): TruthConversation {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) out[CANONICAL.get(key.toLowerCase()) ?? key] = value;
  if (typeof out.conversations_data === 'string') out.conversations_data = JSON.parse(out.conversations_data);
  for (const k of COUNTS) out[k] = Number(out[k]);
  out.conversation_start_time = toIso(out.conversation_start_time);
  out.conversation_end_time = toIso(out.conversation_end_time);
  out.triggered_intent_replies = (out.triggered_intent_replies as Record<string, unknown>[]).map((i) => ({ ...i, intent_timestamp: toIso(i.intent_timestamp) }));
  return out as unknown as TruthConversation;
}

/** Decodes a whole export day from its wire text: valid records (raw) and the invalid lines met. */
function decodeDay(bot: string, date: string, opts: Partial<UltimateGeneratorOptions>, state?: ExportDayState) {
  const invalid = new Set(invalidLinesFor(bot, date, opts, state).map((x) => x.line));
  const { jsonArray } = formatFor(bot, date, opts);
  const raws: Record<string, unknown>[] = [];
  const invalidSeen: string[] = [];
  const order: ('valid' | 'invalid')[] = [];
  for (const text of fileTexts(bot, date, opts, state)) {
    for (const el of wireElements(text, jsonArray)) {
      if (invalid.has(el)) invalidSeen.push(el);
      else raws.push(JSON.parse(el) as Record<string, unknown>);
      order.push(invalid.has(el) ? 'invalid' : 'valid');
    }
  }
  return { raws, invalidSeen, order };
}

describe('Ultimate generator', () => {
  it('is deterministic, and the seed changes the data', () => {
    expect(conversationsEndingOn('bot-alpha', '2024-06-03', { seed: 7 })).toEqual(conversationsEndingOn('bot-alpha', '2024-06-03', { seed: 7 }));
    expect(fileTexts('bot-alpha', '2024-06-03', { seed: 7 })).toEqual(fileTexts('bot-alpha', '2024-06-03', { seed: 7 }));
    expect(conversationsEndingOn('bot-alpha', '2024-06-03', { seed: 8 })).not.toEqual(conversationsEndingOn('bot-alpha', '2024-06-03', { seed: 7 }));
  });

  it('dates every conversation to the day it ended, ~10% starting the day before, ids unique across bots and days', () => {
    const ids = new Set<string>();
    let total = 0, crossing = 0;
    for (const bot of BOTS) for (const date of JUNE) {
      for (const c of conversationsEndingOn(bot, date)) {
        total++;
        ids.add(c.conversation_id);
        expect(c.conversation_end_time.slice(0, 10)).toBe(date);
        expect(c.conversation_end_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(c.conversation_start_time <= c.conversation_end_time).toBe(true);
        if (c.conversation_start_time.slice(0, 10) < date) crossing++;
      }
    }
    expect(ids.size).toBe(total);
    expect(crossing / total).toBeGreaterThan(0.06);
    expect(crossing / total).toBeLessThan(0.14);
  });

  it('varies the daily count within ±30% of the mean', () => {
    const counts = JUNE.map((d) => conversationsEndingOn('bot-beta', d, { conversationsPerDay: 100 }).length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(70);
    expect(Math.max(...counts)).toBeLessThanOrEqual(130);
    expect(new Set(counts).size).toBeGreaterThan(10);
    expect(conversationsEndingOn('bot-beta', '2024-06-01', { conversationsPerDay: 0 })).toEqual([]);
  });

  it('covers the mix the metrics need, with consistent counts', () => {
    const all = BOTS.flatMap((bot) => JUNE.flatMap((d) => conversationsEndingOn(bot, d)));
    const share = (f: (c: TruthConversation) => boolean): number => all.filter(f).length / all.length;
    expect(share((c) => c.test_mode)).toBeGreaterThan(0.01);
    expect(share((c) => c.test_mode)).toBeLessThan(0.06);
    expect(share((c) => c.bot_messages_count === 0)).toBeGreaterThan(0.02); // suggestion engine
    expect(share((c) => c.bot_messages_count === 0)).toBeLessThan(0.09);
    expect(new Set(all.map((c) => c.conversation_status))).toEqual(new Set(['botHandled', 'agent', 'email', 'customEscalation', 'failedEscalation', 'notHandled']));
    expect(new Set(all.map((c) => c.last_resolution))).toEqual(new Set(['informed', 'resolved', 'escalated', null]));
    expect(new Set(all.map((c) => c.channel))).toEqual(new Set(['chat', 'ticket']));
    const intents = all.flatMap((c) => c.triggered_intent_replies);
    const names = new Set(intents.map((i) => i.intent_name));
    expect(names.has('Greeting') && names.has('Talk to a human/agent')).toBe(true);
    expect(names.size).toBe(10);
    expect(intents.some((i) => i.not_meaningful) && intents.some((i) => !i.not_meaningful)).toBe(true);
    let outOfOrder = 0, equal = 0;
    for (const c of all) {
      expect(c.not_understood_messages_count).toBeLessThanOrEqual(c.visitor_messages_count);
      expect(c.triggered_intent_replies.length).toBeLessThanOrEqual(5);
      expect(c.triggered_replies.length).toBeLessThanOrEqual(5);
      if (!c.is_llm_conversation) expect(c.llm_responseGenerated_count + c.llm_notUnderstood_count + c.llm_fallback_count).toBe(0);
      const ids = new Set(c.triggered_intent_replies.map((i) => i.intent_id));
      for (const r of c.triggered_replies) expect(ids.has(r.intent_id)).toBe(true);
      const ts = c.triggered_intent_replies.map((i) => i.intent_timestamp as string); // never null without edgeCases
      for (const t of ts) expect(t >= c.conversation_start_time && t <= c.conversation_end_time).toBe(true);
      if (ts.some((t, j) => j > 0 && t < (ts[j - 1] as string))) outOfOrder++;
      if (ts.some((t, j) => j > 0 && t === ts[j - 1])) equal++;
    }
    expect(outOfOrder).toBeGreaterThan(0);
    expect(equal).toBeGreaterThan(0);
    expect(new Set(all.map((c) => c.triggered_intent_replies.length))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('splits days into 1–3 files and mixes NDJSON, gzip and JSON-array days', () => {
    const days = BOTS.flatMap((bot) => JUNE.map((d) => ({ files: fileCountFor(bot, d), ...formatFor(bot, d) })));
    expect(new Set(days.map((d) => d.files))).toEqual(new Set([1, 2, 3]));
    const plain = days.filter((d) => !d.gzip && !d.jsonArray).length;
    expect(plain / days.length).toBeGreaterThan(0.5);
    expect(days.some((d) => d.gzip && !d.jsonArray)).toBe(true);
    expect(days.some((d) => d.jsonArray)).toBe(true);
  });

  it('wire records normalise back exactly to the truth, in file order, in every format', () => {
    const opts = { invalidEvery: 7 };
    const seen = new Set<string>();
    for (const bot of BOTS) for (const date of JUNE.slice(0, 12)) {
      const { gzip, jsonArray } = formatFor(bot, date, opts);
      seen.add(`${gzip}/${jsonArray}/${fileCountFor(bot, date, opts)}`);
      expect(decodeDay(bot, date, opts).raws.map(normalise)).toEqual(conversationsEndingOn(bot, date, opts));
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('applies each wire quirk to a minority of records within a 5-day sample; quirks off changes the wire only', () => {
    const raws = dates('2024-06-10', 5).flatMap((d) => decodeDay('bot-alpha', d, {}).raws);
    const lowerKey = (r: Record<string, unknown>, name: string): string | undefined => Object.keys(r).find((k) => k.toLowerCase() === name);
    const quirks = {
      upperKeys: (r: Record<string, unknown>) => 'CONVERSATION_ID' in r,
      conversationDataKey: (r: Record<string, unknown>) => lowerKey(r, 'conversation_data') !== undefined,
      countsAsStrings: (r: Record<string, unknown>) => typeof r[lowerKey(r, 'visitor_messages_count') as string] === 'string',
      epochTimestamps: (r: Record<string, unknown>) => typeof r[lowerKey(r, 'conversation_start_time') as string] === 'number',
      dataAsJsonString: (r: Record<string, unknown>) => typeof r[(lowerKey(r, 'conversations_data') ?? lowerKey(r, 'conversation_data')) as string] === 'string',
    };
    for (const [name, has] of Object.entries(quirks)) {
      const n = raws.filter(has).length;
      expect(n, name).toBeGreaterThan(0);
      expect(n / raws.length, name).toBeLessThan(0.2);
    }
    const piiStrings = raws.filter(quirks.dataAsJsonString).map((r) => JSON.parse((r.conversations_data ?? r.conversation_data ?? r.CONVERSATIONS_DATA ?? r.CONVERSATION_DATA) as string) as Record<string, unknown>);
    for (const data of piiStrings) expect(data).toHaveProperty('email');
    const plain = decodeDay('bot-alpha', '2024-06-10', { quirks: false }).raws;
    for (const [name, has] of Object.entries(quirks)) expect(plain.filter(has), name).toEqual([]);
    expect(conversationsEndingOn('bot-alpha', '2024-06-10', { quirks: false })).toEqual(conversationsEndingOn('bot-alpha', '2024-06-10'));
  });

  it('interleaves about 1 in N invalid lines of every kind, which the truth does not count', () => {
    const opts = { invalidEvery: 5, conversationsPerDay: 60 };
    const kinds = new Set<string>();
    let lines = 0, invalidLines = 0;
    for (const date of JUNE.slice(0, 10)) {
      const invalid = invalidLinesFor('bot-gamma', date, opts);
      const { raws, invalidSeen, order } = decodeDay('bot-gamma', date, opts);
      invalid.forEach((x) => kinds.add(x.kind));
      expect(invalidSeen).toEqual(invalid.map((x) => x.line));
      expect(raws.length).toBe(conversationsEndingOn('bot-gamma', date, opts).length);
      lines += raws.length + invalid.length;
      invalidLines += invalid.length;
      for (const { line, kind } of invalid) {
        if (kind === 'not_json') expect(() => JSON.parse(line)).toThrow();
        else if (kind === 'missing_conversation_id') expect(JSON.parse(line)).not.toHaveProperty('conversation_id');
        else if (kind === 'bad_timestamp') expect(Number.isNaN(Date.parse(JSON.parse(line).conversation_end_time))).toBe(true);
        else expect(Number.isNaN(Number(JSON.parse(line).visitor_messages_count))).toBe(true);
      }
      // Interleaved: never two invalid lines in a row, and the first comes before the last record.
      expect(order.join(' ')).not.toContain('invalid invalid');
      expect(order.indexOf('invalid')).toBeLessThan(order.lastIndexOf('valid'));
    }
    expect(invalidLines / lines).toBeGreaterThan(0.14);
    expect(invalidLines / lines).toBeLessThan(0.26);
    expect(kinds).toEqual(new Set(['not_json', 'missing_conversation_id', 'bad_timestamp', 'bad_count']));
    expect(invalidLinesFor('bot-gamma', '2024-06-01', {})).toEqual([]);
    // Days smaller than N still get their share: 1 in 60 over 30 days of ~25 conversations.
    const sparse = JUNE.reduce((n, d) => n + invalidLinesFor('bot-gamma', d, { invalidEvery: 60, conversationsPerDay: 25 }).length, 0);
    expect(sparse).toBeGreaterThan(4);
    expect(sparse).toBeLessThan(30);
  });

  it('a grown day appends exactly the late conversations to the end of its last file', () => {
    for (const date of JUNE.slice(0, 8)) {
      const base = conversationsEndingOn('bot-beta', date);
      const grown = conversationsEndingOn('bot-beta', date, {}, { grown: true });
      expect(grown.slice(0, base.length)).toEqual(base);
      expect(grown.length - base.length).toBeGreaterThanOrEqual(1);
      expect(grown.length - base.length).toBeLessThanOrEqual(3);
      for (const c of grown) expect(c.conversation_end_time.slice(0, 10)).toBe(date);
      const before = fileTexts('bot-beta', date, {});
      const after = fileTexts('bot-beta', date, {}, { grown: true });
      expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
      if (!formatFor('bot-beta', date).jsonArray) expect((after.at(-1) as string).startsWith(before.at(-1) as string)).toBe(true);
      expect(decodeDay('bot-beta', date, {}, { grown: true }).raws.map(normalise)).toEqual(grown);
    }
  });

  it('edgeCases: whatever the date, every 6 days hold a quiet day (conversations, none counted) and every export opens with one from the day before', () => {
    const opts = { edgeCases: true, conversationsPerDay: 30 };
    const counted = (c: TruthConversation) => !c.test_mode && c.bot_messages_count !== 0;
    for (const bot of BOTS) {
      const byStartDay = new Map<string, TruthConversation[]>();
      for (const date of JUNE) {
        const day = conversationsEndingOn(bot, date, opts);
        const dayBefore = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
        expect(day[0]!.conversation_start_time.slice(0, 10), `${bot} ${date}`).toBe(dayBefore);
        for (const c of day) byStartDay.set(c.conversation_start_time.slice(0, 10), [...(byStartDay.get(c.conversation_start_time.slice(0, 10)) ?? []), c]);
      }
      // Start days whose conversations are all in the sample (the last day's may cross into July).
      const quiet = JUNE.slice(0, -1).filter((d) => (byStartDay.get(d) ?? []).length > 0 && !byStartDay.get(d)!.some(counted));
      for (let i = 0; i + 6 <= JUNE.length - 1; i++) expect(quiet.some((d) => JUNE.slice(i, i + 6).includes(d)), `${bot} from ${JUNE[i]}`).toBe(true);
      // A handful: its own few plus those of the next export that started on it.
      for (const d of quiet) expect(byStartDay.get(d)!.length).toBeLessThanOrEqual(12);
      // The other days are ordinary: most of their conversations count.
      const ordinary = JUNE.filter((d) => !quiet.includes(d)).flatMap((d) => byStartDay.get(d) ?? []);
      expect(ordinary.filter(counted).length / ordinary.length).toBeGreaterThan(0.85);
    }
    // Off by default: no quiet days at this size.
    for (const date of JUNE) expect(conversationsEndingOn('bot-alpha', date).some(counted)).toBe(true);
  });

  it('edgeCases: NULL statuses, untimed intents and a re-opened conversation in two exports, on the wire as in the truth', () => {
    const opts = { edgeCases: true, conversationsPerDay: 30 };
    let nullStatus = 0, untimed = 0, reopened = 0;
    for (const bot of BOTS) {
      for (const date of JUNE.slice(1, 12)) {
        const day = conversationsEndingOn(bot, date, opts);
        // The wire carries the nulls (a reference decode gives the truth back).
        expect(decodeDay(bot, date, opts).raws.map(normalise), `${bot} ${date}`).toEqual(day);
        nullStatus += day.filter((c) => c.conversation_status === null && c.last_resolution === null).length;
        untimed += day.filter((c) => c.triggered_intent_replies[0]?.intent_timestamp === null && c.triggered_intent_replies.slice(1).every((i) => i.intent_timestamp !== null)).length;
        const before = conversationsEndingOn(bot, new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10), opts);
        const again = day.filter((c) => before.some((b) => b.conversation_id === c.conversation_id));
        // At most one per export: record 1, the first of the day before's records 2–4 that started on its own day.
        expect(again.length).toBeLessThanOrEqual(1);
        for (const c of again) {
          const earlier = before.find((b) => b.conversation_id === c.conversation_id)!;
          expect(c).toBe(day[1]);
          const at = before.indexOf(earlier);
          expect(at).toBeGreaterThanOrEqual(2);
          expect(at).toBeLessThanOrEqual(4);
          expect(before.slice(2, at).every((b) => b.conversation_start_time.slice(0, 10) < earlier.conversation_start_time.slice(0, 10))).toBe(true);
          expect(c.conversation_start_time).toBe(earlier.conversation_start_time);
          expect(c.conversation_start_time.slice(0, 10)).toBe(earlier.conversation_end_time.slice(0, 10));
          expect(c.conversation_end_time.slice(0, 10)).toBe(date);
          expect(c).not.toEqual(earlier);
          reopened++;
        }
      }
      // Ids stay unique within an export.
      for (const date of JUNE) expect(new Set(conversationsEndingOn(bot, date, opts).map((c) => c.conversation_id)).size).toBe(conversationsEndingOn(bot, date, opts).length);
    }
    expect(nullStatus).toBeGreaterThan(5);
    expect(untimed).toBeGreaterThan(3);
    expect(reopened).toBeGreaterThan(30); // nearly every one of the 3 × 11 exports
  });

  it('any 7 consecutive days of a bot hold a multi-file, a gzip and a JSON-array day', () => {
    for (const bot of BOTS) for (let i = 0; i + 7 <= JUNE.length; i++) {
      const week = JUNE.slice(i, i + 7);
      expect(week.some((d) => fileCountFor(bot, d) > 1), `${bot} ${week[0]}`).toBe(true);
      expect(week.some((d) => formatFor(bot, d).gzip), `${bot} ${week[0]}`).toBe(true);
      expect(week.some((d) => formatFor(bot, d).jsonArray), `${bot} ${week[0]}`).toBe(true);
    }
  });

  it('streams a large file in ~64 KiB chunks', () => {
    const opts = { conversationsPerDay: 3000 };
    const chunks = [...exportFileChunks('bot-alpha', '2024-06-01', 0, opts)];
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
      expect(chunk.length).toBeLessThan(64 * 1024 + 8 * 1024);
    }
    expect(() => exportFileChunks('bot-alpha', '2024-06-01', 5, opts).next()).toThrow(/does not exist/);
    expect(() => conversationsEndingOn('bot-alpha', '2024-02-30')).toThrow(/invalid export date/);
  });

  it('bench shape: ~1–1.5 KB per conversation, 0–5 intents and replies (throughput logged, not asserted)', () => {
    const opts = { shape: 'bench' as const, conversationsPerDay: 10_000 };
    const started = performance.now();
    let bytes = 0, conversations = 0;
    for (const date of JUNE.slice(0, 5)) {
      for (let f = 0; f < fileCountFor('bot-bench', date, opts); f++) for (const chunk of exportFileChunks('bot-bench', date, f, opts)) bytes += chunk.length;
      conversations += conversationsEndingOn('bot-bench', date, opts).length;
    }
    const seconds = (performance.now() - started) / 1000;
    const perConversation = bytes / conversations;
    console.log(`ultimate generator (bench shape, incl. truth): ${Math.round(conversations / seconds)} conversations/s, ${Math.round(perConversation)} B/conversation`);
    expect(perConversation).toBeGreaterThan(1000);
    expect(perConversation).toBeLessThan(1500);
    const realistic = { conversationsPerDay: 2000 };
    const realisticBytes = fileTexts('bot-bench', '2024-06-01', realistic).join('').length;
    expect(realisticBytes / conversationsEndingOn('bot-bench', '2024-06-01', realistic).length).toBeLessThan(perConversation);
  });
});
