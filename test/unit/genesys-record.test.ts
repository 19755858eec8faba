import { describe, expect, it } from 'vitest';
import { InvalidRecord } from '../../connector/core/quarantine.js';
import { conversationsStartingOn } from '../../connector/simulators/genesys/generator.js';
import { normaliseGenesysConversation } from '../../connector/sources/genesys/record.js';

const conversation = (extra: Record<string, unknown> = {}) => ({
  conversationId: 'c-1',
  conversationStart: '2026-11-01T10:00:00+01:00',
  conversationEnd: '2026-11-01T09:20:00.000Z',
  originatingDirection: 'inbound',
  mediaStatsMinConversationMos: 4.2,
  participants: [
    { purpose: 'customer', sessions: [{ mediaType: 'voice', segments: [{ segmentStart: '2026-11-01T09:00:00.000Z', disconnectType: 'client' }] }] },
    { purpose: 'acd', sessions: [{ segments: [{ segmentStart: '2026-11-01T09:06:00.000Z' }] }] },
    {
      purpose: 'botflow',
      sessions: [
        {
          flow: {
            flowId: 'bot-1', flowName: 'Bot', flowType: 'BOT', exitReason: 'TRANSFER', transferType: 'ACD',
            outcomes: [
              { flowOutcomeId: 'o-2', flowOutcomeValue: 'FAILURE', flowOutcomeStartTimestamp: '2026-11-01T09:03:00.000Z' },
              { flowOutcomeId: 'o-1', flowOutcomeValue: 'SUCCESS', flowOutcomeStartTimestamp: '2026-11-01T09:01:00.000Z' },
            ],
          },
          segments: [{ segmentStart: '2026-11-01T09:00:01.000Z' }],
        },
      ],
    },
    { purpose: 'ivr', sessions: [{ flow: { flowId: 'ivr-1', flowType: 'INBOUNDCALL' }, segments: [{ segmentStart: '2026-11-01T09:00:00.500Z' }] }] },
  ],
  ...extra,
});

describe('Genesys record normaliser', () => {
  it('snake_cases the top level, keeps participants as delivered and reads the facts off the tree', () => {
    const record = normaliseGenesysConversation(conversation());
    expect(record).toMatchObject({
      conversation_id: 'c-1',
      conversation_start: '2026-11-01T09:00:00.000Z', // offset → UTC
      conversation_end: '2026-11-01T09:20:00.000Z',
      media_stats_min_conversation_mos: 4.2,
      media_type: 'voice',
      first_flow_id: 'ivr-1', // entered first, by segment start, not by list order
      bot_flow_id: 'bot-1',
      bot_flow_started_at: '2026-11-01T09:00:01.000Z',
      bot_flow_exit_reason: 'TRANSFER',
      acd_started_at: '2026-11-01T09:06:00.000Z',
      agent_started_at: null,
      customer_disconnect_type: 'client',
    });
    expect(record.participants).toEqual(conversation().participants); // nested, untouched
    expect((record.flow_outcomes as Array<{ outcome_id: string }>).map((o) => o.outcome_id)).toEqual(['o-1', 'o-2']); // time order
  });

  it('an active conversation has a null end; a missing selfServed stays missing', () => {
    const record = normaliseGenesysConversation(conversation({ conversationEnd: undefined }));
    expect(record.conversation_end).toBeNull();
    expect(record.self_served).toBeUndefined();
  });

  it('rejects what cannot be keyed or dated, naming the field', () => {
    const reason = (value: unknown) => {
      try {
        normaliseGenesysConversation(value);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRecord);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(reason([])).toBe('not a JSON object');
    expect(reason(conversation({ conversationId: '' }))).toMatch(/^conversationId/);
    expect(reason(conversation({ conversationStart: 'yesterday' }))).toMatch(/^conversationStart: "yesterday" is not a timestamp/);
    expect(reason(conversation({ participants: {} }))).toMatch(/^participants: expected a list/);
    expect(reason(conversation({ selfServed: 'maybe' }))).toMatch(/^selfServed/);
    const badOutcome = conversation();
    ((badOutcome.participants[2]!.sessions[0] as { flow: { outcomes: Record<string, unknown>[] } }).flow.outcomes[0]!).flowOutcomeStartTimestamp = 'soon';
    expect(reason(badOutcome)).toMatch(/^participants\[2\]\.sessions\[0\]\.flow\.outcomes\[0\]\.flowOutcomeStartTimestamp/);
  });

  it('every generated record normalises, and the bot flow is the truth’s', () => {
    for (const c of conversationsStartingOn('2026-11-02', { seed: 4, conversationsPerDay: 200 })) {
      const record = normaliseGenesysConversation(c.record(Date.parse('2026-11-04T00:00:00.000Z')));
      expect(record.bot_flow_id ?? record.first_flow_id).toBe(c.truth.botFlowId ?? c.truth.firstFlowId);
    }
  });
});
