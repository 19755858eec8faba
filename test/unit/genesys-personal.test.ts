/**
 * The personal fields of a Genesys conversation detail record under each `pii` mode: people's
 * participant names, externalContactId, attributes, ani / dnis / sessionDnis. Expected values are
 * written out by hand (the HMAC from node:crypto directly); the config refuses a hash without key.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GenesysConfig } from '../../connector/sources/genesys/config.js';
import { scrubConversation } from '../../connector/sources/genesys/personal.js';

const hmac = (text: string) => `hmac:${createHmac('sha256', 'k1').update(text, 'utf8').digest('hex')}`;

const conversation = () => ({
  conversationId: 'c1',
  conversationStart: '2026-11-20T10:00:00.000Z',
  participants: [
    {
      participantName: 'Olivia Okafor',
      purpose: 'customer',
      externalContactId: 'ec-1',
      attributes: { customerEmail: 'olivia@example.org', visits: 3 },
      sessions: [{ mediaType: 'voice', ani: 'tel:+13175550101', dnis: 'tel:+18005550142', sessionDnis: 'tel:+18005550142', segments: [] }],
    },
    { participantName: 'Billing Voice Bot', purpose: 'botflow', sessions: [{ mediaType: 'voice', flow: { flowName: 'Billing Voice Bot' } }] },
    { participantName: 'queue-billing', purpose: 'acd', sessions: [] },
    { participantName: 'Dana Whitfield', purpose: 'agent', userId: 'agent-1', sessions: [] },
  ],
});

describe('Genesys personal fields', () => {
  it('drop: people\'s names, contact ids, attributes and numbers become null; flow and queue names stay', () => {
    const [customer, bot, queue, agent] = scrubConversation(conversation(), { mode: 'drop' }).participants as Array<Record<string, unknown>>;
    expect(customer).toMatchObject({ participantName: null, externalContactId: null, attributes: null });
    expect((customer!.sessions as unknown[])[0]).toEqual({ mediaType: 'voice', ani: null, dnis: null, sessionDnis: null, segments: [] });
    expect(bot!.participantName).toBe('Billing Voice Bot');
    expect(queue!.participantName).toBe('queue-billing');
    expect(agent).toMatchObject({ participantName: null, userId: 'agent-1' });
  });

  it('hash: every personal value as HMAC-SHA256 under pii_key, attribute keys kept', () => {
    const [customer, , , agent] = scrubConversation(conversation(), { mode: 'hash', key: 'k1' }).participants as Array<Record<string, unknown>>;
    expect(customer).toMatchObject({ participantName: hmac('Olivia Okafor'), externalContactId: hmac('ec-1'), attributes: { customerEmail: hmac('olivia@example.org'), visits: hmac('3') } });
    expect((customer!.sessions as unknown[])[0]).toMatchObject({ ani: hmac('tel:+13175550101'), dnis: hmac('tel:+18005550142'), sessionDnis: hmac('tel:+18005550142') });
    expect(agent!.participantName).toBe(hmac('Dana Whitfield'));
  });

  it('raw: the record as delivered; the input is never changed in place', () => {
    const input = conversation();
    expect(scrubConversation(input, { mode: 'raw' })).toEqual(conversation());
    scrubConversation(input, { mode: 'drop' });
    expect(input).toEqual(conversation());
  });

  it('config: pii defaults to drop; hash needs pii_key, and the error names it', () => {
    const base = { vendor: 'genesys', client_id: 'id', client_secret: 's', start_date: '2026-11-01' };
    expect(GenesysConfig.parse(base).pii).toBe('drop');
    const refused = GenesysConfig.safeParse({ ...base, pii: 'hash' });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({ path: ['pii_key'], message: expect.stringMatching(/required with pii "hash"/) });
    expect(GenesysConfig.safeParse({ ...base, pii: 'hash', pii_key: 'k1' }).success).toBe(true);
  });
});
