import { describe, expect, it } from 'vitest';
import { conversationsOverlapping, conversationsStartingOn, GENESYS_FLOWS, type GenesysConversation } from '../../connector/simulators/genesys/generator.js';

const options = { seed: 7, conversationsPerDay: 200 };
const day = (d: string) => Date.parse(`${d}T00:00:00.000Z`);
const LATER = day('2030-01-01'); // every generated conversation has ended by then

type Participant = { purpose: string; sessions: Array<{ flow?: { flowId: string; outcomes?: Array<{ flowOutcomeValue: string; flowOutcomeStartTimestamp: string }> }; segments: Array<{ disconnectType?: string }> }> };

function participants(conversation: GenesysConversation, now = LATER): Participant[] {
  return conversation.record(now).participants as Participant[];
}

describe('Genesys generator', () => {
  it('is deterministic per seed and day', () => {
    const a = conversationsStartingOn('2026-11-10', options).map((c) => c.record(LATER));
    expect(conversationsStartingOn('2026-11-10', options).map((c) => c.record(LATER))).toEqual(a);
    expect(conversationsStartingOn('2026-11-10', { ...options, seed: 8 }).map((c) => c.record(LATER))).not.toEqual(a);
    expect(new Set(a.map((r) => r.conversationId)).size).toBe(a.length);
  });

  it('mixes contained, escalated, abandoned and bot-less conversations, on voice and messaging', () => {
    const all = ['2026-11-10', '2026-11-11', '2026-11-12'].flatMap((d) => conversationsStartingOn(d, options));
    const share = (scenario: string) => all.filter((c) => c.truth.scenario === scenario).length / all.length;
    expect(share('contained')).toBeGreaterThan(0.35);
    expect(share('escalated')).toBeGreaterThan(0.2);
    expect(share('abandoned')).toBeGreaterThan(0.08);
    expect(share('no_bot')).toBeGreaterThan(0.04);
    expect(new Set(all.map((c) => c.truth.mediaType))).toEqual(new Set(['message', 'voice']));
    expect(all.some((c) => c.truth.selfServed === undefined)).toBe(true); // the fallback rules get exercised
  });

  it('builds each record to match its truth', () => {
    for (const c of conversationsStartingOn('2026-11-10', options)) {
      const ps = participants(c);
      const purposes = ps.map((p) => p.purpose);
      const flowSession = ps[1]!.sessions[0]!;
      expect(flowSession.flow!.flowId).toBe(c.truth.firstFlowId);
      if (c.truth.botFlowId) expect(purposes[1]).toBe('botflow');
      else expect(purposes[1]).toBe('ivr');
      const queued = c.truth.scenario === 'escalated' || c.truth.scenario === 'no_bot';
      expect(purposes.includes('acd'), c.truth.conversationId).toBe(queued);
      expect(purposes.includes('agent')).toBe(queued);
      const successes = (flowSession.flow!.outcomes ?? []).filter((o) => o.flowOutcomeValue === 'SUCCESS').length;
      expect(successes).toBe(c.truth.outcomesReached.length);
      if (c.truth.scenario === 'contained') expect(successes).toBeGreaterThan(0);
      if (c.truth.scenario === 'abandoned') {
        expect(flowSession.flow!.outcomes).toBeUndefined();
        expect(ps[0]!.sessions[0]!.segments[0]!.disconnectType).toBe('client');
      }
      const record = c.record(LATER);
      if (record.selfServed !== undefined) expect(record.selfServed).toBe(c.truth.scenario === 'contained');
    }
  });

  it('lists the outcomes of some conversations out of time order, as its truth says', () => {
    let outOfOrder = 0;
    for (const c of conversationsStartingOn('2026-11-10', options)) {
      const listed = (participants(c)[1]!.sessions[0]!.flow!.outcomes ?? []).map((o) => Date.parse(o.flowOutcomeStartTimestamp));
      expect(listed).toEqual(c.truth.outcomes.map((o) => o.startMs));
      const ascending = listed.every((t, i) => i === 0 || t >= listed[i - 1]!);
      expect(ascending, c.truth.conversationId).toBe(!c.truth.outcomesOutOfOrder);
      if (!ascending) outOfOrder++;
    }
    expect(outOfOrder).toBeGreaterThan(5);
  });

  it('shows a conversation still running at `now` without conversationEnd, and only what happened so far', () => {
    const escalated = conversationsStartingOn('2026-11-10', options).find((c) => c.truth.scenario === 'escalated')!;
    const midway = escalated.truth.startMs + 1000;
    const early = escalated.record(midway);
    expect(early.conversationEnd).toBeUndefined();
    expect(early.selfServed).toBeUndefined();
    expect((early.participants as Participant[]).map((p) => p.purpose)).toEqual(['customer', 'botflow']);
    expect(escalated.record(escalated.truth.endMs).conversationEnd).toBe(new Date(escalated.truth.endMs).toISOString());
  });

  it('returns every conversation overlapping an interval; one crossing midnight is in both days', () => {
    const first = conversationsOverlapping(day('2026-11-10'), day('2026-11-11'), LATER, options);
    const second = conversationsOverlapping(day('2026-11-11'), day('2026-11-12'), LATER, options);
    const both = first.filter((c) => second.some((d) => d.truth.conversationId === c.truth.conversationId));
    expect(both.length).toBeGreaterThan(0);
    for (const c of both) expect(c.truth.endMs).toBeGreaterThan(day('2026-11-11'));
    const started = conversationsStartingOn('2026-11-10', options).map((c) => c.truth.conversationId);
    expect(first.map((c) => c.truth.conversationId)).toEqual(expect.arrayContaining(started));
    // nothing that has not started by `now`
    const now = day('2026-11-10') + 6 * 3_600_000;
    expect(conversationsOverlapping(day('2026-11-10'), day('2026-11-11'), now, options).every((c) => c.truth.startMs < now)).toBe(true);
  });

  it('names two bot flows (the marts bot_id) and two entry flows', () => {
    expect(GENESYS_FLOWS.map((f) => f.flowType)).toEqual(['DIGITALBOT', 'BOT', 'INBOUNDCALL', 'INBOUNDCHAT']);
  });
});
