/**
 * The Kore.ai generator on its own: deterministic, realistic enough to exercise every trap the
 * connector and marts must handle (casing, midnight crossers, personal userIds, invalid records,
 * rows without messageId), and consistent between its truth and what it serves. Plus the truth
 * helper's rules on a small scope.
 */
import { describe, expect, it } from 'vitest';
import {
  KORE_CHANNELS,
  KORE_INTENT_CATALOGUE,
  KORE_MAX_SESSION_MS,
  KORE_NOT_MEANINGFUL_INTENTS,
  koreIntentsFor,
  sessionsStartingOn,
  type KoreSession,
} from '../../connector/simulators/kore/generator.js';
import { containmentOutcome, intentSummary, koreTruth } from '../helpers/kore-truth.js';

const options = { seed: 7, sessionsPerDay: 40 };
const BOT = 'st-unit-bot';
const LATER = Date.parse('2030-01-01T00:00:00.000Z'); // every generated session has ended by then
const days = Array.from({ length: 28 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
const month: KoreSession[] = days.flatMap((d) => sessionsStartingOn(BOT, d, options));
const truths = month.map((s) => s.truth);

describe('Kore generator', () => {
  it('is deterministic per seed, bot and day, with unique 24-hex session ids', () => {
    const a = sessionsStartingOn(BOT, '2026-11-10', options).map((s) => s.served(LATER));
    expect(sessionsStartingOn(BOT, '2026-11-10', options).map((s) => s.served(LATER))).toEqual(a);
    expect(sessionsStartingOn(BOT, '2026-11-10', { ...options, seed: 8 }).map((s) => s.served(LATER))).not.toEqual(a);
    expect(sessionsStartingOn('st-other-bot', '2026-11-10', options).map((s) => s.served(LATER))).not.toEqual(a);
    const ids = truths.map((t) => t.sessionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('varies the count per day within ±30% of sessionsPerDay', () => {
    const counts = days.map((d) => sessionsStartingOn(BOT, d, options).length);
    expect(new Set(counts).size).toBeGreaterThan(5);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(28);
    expect(Math.max(...counts)).toBeLessThanOrEqual(52);
    expect(sessionsStartingOn(BOT, '2026-11-10', { ...options, sessionsPerDay: 0 })).toEqual([]);
  });

  it('starts every session on its day, spread over it, and some run past midnight', () => {
    for (const d of days) {
      const dayStart = Date.parse(`${d}T00:00:00.000Z`);
      for (const s of sessionsStartingOn(BOT, d, options)) {
        expect(s.truth.startMs).toBeGreaterThanOrEqual(dayStart);
        expect(s.truth.startMs).toBeLessThan(dayStart + 86_400_000);
      }
    }
    const hours = new Set(truths.map((t) => new Date(t.startMs).getUTCHours()));
    expect(hours.size).toBe(24);
    const crossing = truths.filter((t) => new Date(t.startMs).getUTCDate() !== new Date(t.endMs).getUTCDate());
    expect(crossing.length).toBeGreaterThan(5);
    const durations = truths.map((t) => t.endMs - t.startMs);
    expect(durations.filter((ms) => ms <= 20 * 60_000).length / durations.length).toBeGreaterThan(0.7);
    expect(Math.max(...durations)).toBeGreaterThan(3_600_000);
    expect(Math.max(...durations)).toBeLessThanOrEqual(KORE_MAX_SESSION_MS);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(60_000);
  });

  it('serves every containmentType casing variant, and sometimes none', () => {
    const variants = new Set(truths.map((t) => t.servedContainmentType));
    for (const v of ['selfService', 'Selfservice', 'selfservice', 'dropOff', 'dropoff', 'DropOff', 'agent', 'Agent', undefined]) expect(variants).toContain(v);
    for (const s of month) {
      const served = s.served(LATER);
      if (s.truth.servedContainmentType === undefined) expect(served).not.toHaveProperty('containmentType');
      else expect(String(served.containmentType).toLowerCase()).toBe(s.truth.containment.toLowerCase());
    }
  });

  it('mixes channels, languages, developers and personal userIds', () => {
    expect(new Set(truths.map((t) => t.channel))).toEqual(new Set(KORE_CHANNELS));
    expect(truths.filter((t) => t.channel === 'rtm').length / truths.length).toBeGreaterThan(0.4);
    expect(truths.some((t) => t.languages.length > 1)).toBe(true);
    const developers = truths.filter((t) => t.isDeveloper).length / truths.length;
    expect(developers).toBeGreaterThan(0.01);
    expect(developers).toBeLessThan(0.12);
    const personal = truths.filter((t) => t.userIdPersonal).map((t) => t.userId);
    expect(personal.some((u) => /^[a-z]+\.[a-z]+\d+@example\.com$/.test(u))).toBe(true);
    expect(personal.some((u) => /^\+49151\d{8}$/.test(u))).toBe(true);
    for (const t of truths.filter((x) => !x.userIdPersonal)) expect(t.userId).toMatch(/^u-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('places intent events on message times inside the session, from the bot catalogue', () => {
    const catalogue = koreIntentsFor(BOT);
    expect(catalogue).toContain('Speak to agent');
    for (const name of KORE_NOT_MEANINGFUL_INTENTS) expect(catalogue).toContain(name);
    for (const name of catalogue) expect(KORE_INTENT_CATALOGUE).toContain(name);
    expect(koreIntentsFor('st-another')).not.toEqual(catalogue);
    let shared = 0;
    for (const t of truths) {
      for (const e of t.intents) {
        expect(t.messageTimesMs).toContain(e.timestampMs);
        expect(e.intent === null).toBe(e.type === 'fail');
        if (e.intent !== null) expect(catalogue).toContain(e.intent);
      }
      for (let k = 1; k < t.intents.length; k++) {
        const [a, b] = [t.intents[k - 1]!, t.intents[k]!];
        expect(b.timestampMs).toBeGreaterThanOrEqual(a.timestampMs);
        if (a.timestampMs === b.timestampMs) {
          shared++;
          expect([a.type, b.type]).toEqual(['success', 'fail']); // never a tie between two success intents
        }
      }
      if (t.sessionType === 'non-interactive') expect(t.intents).toEqual([]);
    }
    expect(shared).toBeGreaterThan(0);
    expect(truths.some((t) => t.sessionType === 'interactive' && t.intents.length === 0)).toBe(true);
    const agents = truths.filter((t) => t.containment === 'agent' && t.intents.length > 0);
    expect(agents.filter((t) => t.intents.some((e) => e.intent === 'Speak to agent')).length / agents.length).toBeGreaterThan(0.6);
    const events = truths.flatMap((t) => t.intents);
    const withoutId = events.filter((e) => e.messageId === null).length / events.length;
    expect(withoutId).toBeGreaterThan(0.1);
    expect(withoutId).toBeLessThan(0.25);
    expect(events.filter((e) => e.type === 'fail').length).toBeGreaterThan(50);
  });

  it('renders intent rows: intent only on success rows, messageId only when it has one', () => {
    const session = month.find((s) => s.truth.intents.some((e) => e.type === 'fail') && s.truth.intents.some((e) => e.messageId === null))!;
    for (const event of session.truth.intents) {
      const row = session.intentRow(event);
      expect(row).toMatchObject({ sessionId: session.truth.sessionId, userId: session.truth.userId, channel: session.truth.channel, language: session.truth.languages[0] });
      expect(row.timestamp).toBe(new Date(event.timestampMs).toISOString());
      if (event.type === 'fail') expect(row).not.toHaveProperty('intent');
      else expect(row.intent).toBe(event.intent);
      if (event.messageId === null) expect(row).not.toHaveProperty('messageId');
      else expect(row.messageId).toBe(event.messageId);
    }
  });

  it('serves a running session as active, without end_time, with the messages so far', () => {
    const s = month.find((x) => x.truth.messageTimesMs.length >= 4)!;
    const midway = s.truth.messageTimesMs[1]!;
    const early = s.served(midway);
    expect(early).not.toHaveProperty('end_time');
    expect(early).toMatchObject({ sessionStatus: 'active', noOfMessagesExchanged: 2, start_time: new Date(s.truth.startMs).toISOString() });
    const done = s.served(s.truth.endMs);
    expect(done).toMatchObject({ sessionStatus: 'closed', end_time: new Date(s.truth.endMs).toISOString(), noOfMessagesExchanged: s.truth.messageTimesMs.length, noOfTasksExecuted: s.truth.tasks });
    expect(done.session_lang).toEqual(s.truth.languages);
  });

  it('marks every Nth session of a (bot, day) invalid, served with an unparsable start_time', () => {
    const plain = sessionsStartingOn(BOT, '2026-11-10', options);
    const broken = sessionsStartingOn(BOT, '2026-11-10', { ...options, invalidEvery: 5 });
    expect(plain.some((s) => s.truth.invalid)).toBe(false);
    const invalid = broken.filter((s) => s.truth.invalid);
    expect(invalid.length).toBe(Math.floor(broken.length / 5));
    for (const s of invalid) expect(s.served(LATER).start_time).toBe('not-a-date');
    for (const s of broken.filter((x) => !x.truth.invalid)) expect(Date.parse(String(s.served(LATER).start_time))).toBe(s.truth.startMs);
    // the same sessions otherwise
    expect(broken.map((s) => s.truth.sessionId)).toEqual(plain.map((s) => s.truth.sessionId));
    expect(() => sessionsStartingOn(BOT, '2026-13-45', options)).toThrow(/not a UTC day/);
  });
});

describe('Kore truth helper', () => {
  const generator = { ...options, invalidEvery: 6 };
  const asOfMs = Date.parse('2026-11-12T15:00:00.000Z');
  const truth = koreTruth({ botIds: [BOT, 'st-second'], startDate: '2026-11-10', untilMs: asOfMs, asOfMs, generator });

  it('takes the sessions started from startDate up to the clock, valid and invalid apart', () => {
    const fromMs = Date.parse('2026-11-10T00:00:00.000Z');
    const all = [BOT, 'st-second'].flatMap((b) => ['2026-11-10', '2026-11-11', '2026-11-12'].flatMap((d) => sessionsStartingOn(b, d, generator))).filter((s) => s.truth.startMs <= asOfMs);
    expect(truth.sessions.length + truth.invalid.length).toBe(all.length);
    expect(truth.invalid.length).toBeGreaterThan(0);
    for (const s of truth.sessions) expect(s.startMs).toBeGreaterThanOrEqual(fromMs);
    expect(new Set(truth.sessions.map((s) => s.botId))).toEqual(new Set([BOT, 'st-second']));
    expect(truth.personalUserIds.length).toBeGreaterThan(0);
    expect(truth.intentRows.success).toBeGreaterThan(truth.intentRows.fail);
  });

  it('leaves containment empty while a session is active, and maps the types to outcomes', () => {
    const active = truth.sessions.filter((s) => s.containment === null);
    expect(active.length).toBeGreaterThan(0);
    for (const s of active) expect(s.endMs).toBeNull();
    const closed = month.map((s) => s.truth);
    expect(new Set(closed.map((t) => containmentOutcome(t, LATER)))).toEqual(new Set(['contained', 'escalated', 'abandoned']));
    const t = closed.find((x) => x.containment === 'agent')!;
    expect(containmentOutcome(t, t.endMs - 1)).toBeNull();
    expect(containmentOutcome(t, t.endMs)).toBe('escalated');
  });

  it('takes first / last / first meaningful intent from success events that have happened', () => {
    const t = truths.find((x) => x.intents.filter((e) => e.type === 'success').length >= 2 && KORE_NOT_MEANINGFUL_INTENTS.includes(x.intents[0]!.intent ?? ''))!;
    const successes = t.intents.filter((e) => e.type === 'success');
    const summary = intentSummary(t, LATER);
    expect(summary.firstIntent).toBe(successes[0]!.intent);
    expect(summary.lastIntent).toBe(successes.at(-1)!.intent);
    expect(summary.firstMeaningfulIntent).toBe(successes.find((e) => !KORE_NOT_MEANINGFUL_INTENTS.includes(e.intent!))?.intent ?? null);
    expect(summary.firstMeaningfulIntent).not.toBe(summary.firstIntent);
    expect(intentSummary(t, successes[0]!.timestampMs).lastIntent).toBe(successes[0]!.intent);
    expect(intentSummary(t, t.startMs - 1)).toEqual({ firstIntent: null, lastIntent: null, firstMeaningfulIntent: null, notUnderstoodMessages: 0 });
  });
});
