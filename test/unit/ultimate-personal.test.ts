/**
 * Ultimate's pii_fields: the paths a user lists inside conversations_data, kept as pii says on the
 * exported line (so record, record JSON and quarantine get the same text), through the export's
 * quirks (UPPER_CASE keys, conversation_data, data as a JSON string). Expected values by hand.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UltimateConfig } from '../../connector/sources/ultimate/config.js';
import { parsePiiPath, scrubConversationText } from '../../connector/sources/ultimate/personal.js';
import { normaliseConversation } from '../../connector/sources/ultimate/record.js';

const hmac = (text: string) => `hmac:${createHmac('sha256', 'k1').update(text, 'utf8').digest('hex')}`;
const paths = ['email', 'contact.phone', 'people.name'].map(parsePiiPath);
const data = { email: 'lea.dubois7@example.com', tier: 'gold', contact: { phone: '+44 7700 900123', preferred: 'email' }, people: [{ name: 'Lea Dubois' }, { name: 'Sam Smith' }] };
const line = (record: Record<string, unknown>) => JSON.stringify({ conversation_id: 'c1', conversation_start_time: '2026-11-20T10:00:00Z', ...record });
const dataOf = (text: string) => normaliseConversation(text, 'bot-1', '2026-11-20').conversations_data;

describe('Ultimate pii_fields', () => {
  it('drop: the listed values become null, the rest of conversations_data stays', () => {
    expect(dataOf(scrubConversationText(line({ conversations_data: data }), paths, { mode: 'drop' }))).toEqual({
      email: null, tier: 'gold', contact: { phone: null, preferred: 'email' }, people: [{ name: null }, { name: null }],
    });
  });

  it('hash: HMAC-SHA256 under pii_key, also when the data is a JSON string under another spelling', () => {
    const text = scrubConversationText(JSON.stringify({ CONVERSATION_ID: 'c1', CONVERSATION_START_TIME: '2026-11-20T10:00:00Z', CONVERSATION_DATA: JSON.stringify(data) }), paths, { mode: 'hash', key: 'k1' });
    expect(text).not.toContain('lea.dubois7');
    expect(text).not.toContain('900123');
    expect(dataOf(text)).toEqual({ email: hmac('lea.dubois7@example.com'), tier: 'gold', contact: { phone: hmac('+44 7700 900123'), preferred: 'email' }, people: [{ name: hmac('Lea Dubois') }, { name: hmac('Sam Smith') }] });
  });

  it('keys match in any case; raw, no paths, or no match leave the line as it was', () => {
    expect(scrubConversationText(line({ conversations_data: { EMAIL: 'a@b.co' } }), paths, { mode: 'drop' })).not.toContain('a@b.co');
    const original = line({ conversations_data: data });
    expect(scrubConversationText(original, paths, { mode: 'raw' })).toBe(original);
    expect(scrubConversationText(original, [], { mode: 'drop' })).toBe(original);
    expect(scrubConversationText(line({ conversations_data: { tier: 'gold' } }), paths, { mode: 'drop' })).toBe(line({ conversations_data: { tier: 'gold' } }));
  });

  it('what cannot be walked is not stored: a line that is not JSON, conversations_data that is plain text', () => {
    const broken = '{"conversation_id": "c1", "conversations_data": {"email": "lea@example.com"';
    const withheld = scrubConversationText(broken, paths, { mode: 'drop' });
    expect(withheld).not.toContain('lea@example.com');
    expect(withheld).toMatch(/withheld .*not valid JSON/);
    expect(dataOf(scrubConversationText(line({ conversations_data: 'call Lea on +44 7700 900123' }), paths, { mode: 'drop' }))).toBeNull();
  });

  it('config: pii_fields defaults to none; a path with an empty key and a hash without key are refused, naming the field', () => {
    const base = { vendor: 'ultimate', api_key: 'k', organization_id: 'o', bot_ids: ['b'], start_date: '2026-11-20' };
    expect(UltimateConfig.parse(base)).toMatchObject({ pii_fields: [], pii: 'drop' });
    const badPath = UltimateConfig.safeParse({ ...base, pii_fields: ['customer..phone'] });
    expect(badPath.error!.issues[0]).toMatchObject({ path: ['pii_fields', 0], message: expect.stringMatching(/keys joined by dots/) });
    const noKey = UltimateConfig.safeParse({ ...base, pii_fields: ['email'], pii: 'hash' });
    expect(noKey.error!.issues[0]).toMatchObject({ path: ['pii_key'], message: expect.stringMatching(/required with pii "hash"/) });
  });
});
