import { describe, expect, it } from 'vitest';
import { InvalidRecord } from '../../connector/core/quarantine.js';
import { toIsoTimestamp } from '../../connector/core/record-values.js';
import { normaliseConversation } from '../../connector/sources/ultimate/record.js';

const base = {
  bot_id: 'b1',
  conversation_id: 'c1',
  conversation_start_time: '2026-11-01T10:00:00.000Z',
  conversation_end_time: '2026-11-01T10:05:00.000Z',
  bot_messages_count: 3,
  visitor_messages_count: 2,
  not_understood_messages_count: 0,
  test_mode: false,
  triggered_intent_replies: [{ intent_id: 'i1', intent_name: 'Greeting', intent_timestamp: '2026-11-01T10:00:01.000Z', not_meaningful: true }],
};

const norm = (value: unknown) => normaliseConversation(JSON.stringify(value), 'export-bot', '2026-11-01');

describe('Ultimate record normalisation', () => {
  it('passes a canonical record through and adds the export day', () => {
    expect(norm(base)).toEqual({ ...base, export_date: '2026-11-01' });
  });

  it('lower-cases shouted keys but keeps the vendor spelling of known camelCase fields', () => {
    const shouted = Object.fromEntries(Object.entries({ ...base, llm_notUnderstood_count: '2', conversation_type: 'x' }).map(([k, v]) => [k.toUpperCase(), v]));
    const out = norm(shouted);
    expect(out.conversation_id).toBe('c1');
    expect(out.llm_notUnderstood_count).toBe(2);
    expect(out.conversation_type).toBe('x');
    expect(Object.keys(out).every((k) => k === k.toLowerCase() || k === 'llm_notUnderstood_count')).toBe(true);
  });

  it('keeps unknown camelCase v3 fields as they are', () => {
    expect(norm({ ...base, automatedResolution: { tier: 2 } }).automatedResolution).toEqual({ tier: 2 });
  });

  it('accepts both spellings of conversations_data and parses its JSON string', () => {
    expect(norm({ ...base, conversation_data: '{"email":"a@b.c"}' }).conversations_data).toEqual({ email: 'a@b.c' });
    expect(norm({ ...base, conversations_data: '{"name":"J"}' }).conversations_data).toEqual({ name: 'J' });
    expect(norm({ ...base, conversations_data: 'not json' }).conversations_data).toBe('not json');
  });

  it('turns counts typed as strings into numbers', () => {
    const out = norm({ ...base, bot_messages_count: '7', visitor_messages_count: ' 4 ' });
    expect(out.bot_messages_count).toBe(7);
    expect(out.visitor_messages_count).toBe(4);
  });

  it('normalises epoch milliseconds, offsets and zone-less times to ISO UTC', () => {
    expect(toIsoTimestamp(Date.parse('2026-11-01T08:00:00.123Z'), 't')).toBe('2026-11-01T08:00:00.123Z');
    expect(toIsoTimestamp(String(Date.parse('2026-11-01T08:00:00.123Z')), 't')).toBe('2026-11-01T08:00:00.123Z');
    expect(toIsoTimestamp('2026-11-01T10:00:00+02:00', 't')).toBe('2026-11-01T08:00:00.000Z');
    expect(toIsoTimestamp('2026-11-01 08:00:00', 't')).toBe('2026-11-01T08:00:00.000Z');
    const out = norm({ ...base, conversation_start_time: Date.parse('2026-11-01T08:00:00.000Z'), triggered_intent_replies: [{ ...base.triggered_intent_replies[0], intent_timestamp: Date.parse('2026-11-01T08:00:01.000Z') }] });
    expect(out.conversation_start_time).toBe('2026-11-01T08:00:00.000Z');
    expect((out.triggered_intent_replies as { intent_timestamp: string }[])[0]!.intent_timestamp).toBe('2026-11-01T08:00:01.000Z');
  });

  it('fills a missing bot_id from the export it came from', () => {
    const { bot_id: _drop, ...withoutBot } = base;
    expect(norm(withoutBot).bot_id).toBe('export-bot');
  });

  it('names the first bad field in the order the record lists them', () => {
    // Declared order is test_mode before bot_messages_count; the record lists them the other way round.
    const { bot_messages_count: _count, test_mode: _mode, ...rest } = base;
    const text = JSON.stringify({ bot_messages_count: 'many', ...rest, test_mode: 'maybe' });
    expect(() => normaliseConversation(text, 'b', '2026-11-01')).toThrow(/^bot_messages_count: "many" is not a whole number$/);
    const reversed = JSON.stringify({ test_mode: 'maybe', ...rest, bot_messages_count: 'many' });
    expect(() => normaliseConversation(reversed, 'b', '2026-11-01')).toThrow(/^test_mode: "maybe" is not true\/false$/);
  });

  it.each([
    ['{"conversation_id": "c1", ', /not valid JSON/],
    ['[1,2]', /not a JSON object/],
    [JSON.stringify({ ...base, conversation_id: '' }), /conversation_id: missing or empty/],
    [JSON.stringify({ ...base, conversation_id: undefined }), /conversation_id: missing/],
    [JSON.stringify({ ...base, conversation_start_time: undefined }), /conversation_start_time: missing/],
    [JSON.stringify({ ...base, conversation_start_time: 'yesterday' }), /conversation_start_time: "yesterday" is not a timestamp/],
    [JSON.stringify({ ...base, bot_messages_count: 'many' }), /bot_messages_count: "many" is not a whole number/],
    [JSON.stringify({ ...base, test_mode: 'maybe' }), /test_mode: "maybe" is not true\/false/],
    [JSON.stringify({ ...base, triggered_intent_replies: 'Greeting' }), /triggered_intent_replies: expected a list/],
  ])('quarantines %s with a reason naming the field', (text, reason) => {
    expect(() => normaliseConversation(text, 'b', '2026-11-01')).toThrow(InvalidRecord);
    expect(() => normaliseConversation(text, 'b', '2026-11-01')).toThrow(reason);
  });
});

describe('canonical ISO timestamps', () => {
  // Every YYYY-MM-DDTHH:mm:ss.sssZ shape near the edges of its parts; the truth is Date.parse alone.
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const cases: string[] = [];
  for (const year of [0, 1970, 2024, 2026, 9999])
    for (const month of [0, 1, 2, 12, 13])
      for (const day of [0, 1, 28, 29, 30, 31, 32])
        for (const [h, m, s] of [[0, 0, 0], [23, 59, 59], [24, 0, 0], [12, 60, 0], [12, 0, 60]] as const)
          cases.push(`${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(m)}:${pad(s)}.${pad(day * 7, 3)}Z`);
  cases.push('2026-1x-01T00:00:00.000Z', '2026-11-01T00:00:00,000Z', '2026-11-01T00-00:00.000Z', '2026/11/01T00:00:00.000Z', '+02026-11-01T00:00:0Z');

  it('are kept exactly when Date.parse accepts them and refused when it does not', () => {
    let kept = 0;
    for (const text of cases) {
      if (Number.isNaN(Date.parse(text))) {
        expect(() => toIsoTimestamp(text, 'at'), text).toThrow(InvalidRecord);
      } else {
        // A day past the month's end (2026-02-30) rolls over as Date.parse does: DuckDB refuses it as text.
        expect(toIsoTimestamp(text, 'at'), text).toBe(new Date(Date.parse(text)).toISOString());
        kept++;
      }
    }
    expect(kept).toBeGreaterThan(100); // the grid holds both kinds
    expect(cases.length - kept).toBeGreaterThan(100);
  });

  it('know every month\'s length and the leap years, centuries included', () => {
    for (const year of [1900, 2000, 2023, 2024, 2100, 2400])
      for (let month = 1; month <= 12; month++)
        for (const day of [28, 29, 30, 31, 32]) {
          const text = `${year}-${pad(month)}-${pad(day)}T23:59:59.999Z`;
          const millis = Date.parse(text);
          if (Number.isNaN(millis)) expect(() => toIsoTimestamp(text, 'at'), text).toThrow(InvalidRecord);
          else expect(toIsoTimestamp(text, 'at'), text).toBe(new Date(millis).toISOString());
        }
  });
});
