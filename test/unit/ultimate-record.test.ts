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
