/**
 * Deterministic Genesys Cloud conversation detail records, with their ground truth, for the
 * simulator and the tests (issue 4). Shaped like Conversation Detail job results (seed 001,
 * sources.md §2): conversation → participants (customer, botflow / ivr, acd, agent) → sessions
 * (mediaType, flow {flowType, flowName, exitReason, transferType, outcomes[]}, metrics[]) →
 * segments.
 *
 * Conversations are generated per UTC start day from (seed, day), so any interval's contents can
 * be recomputed: a job over [start, end) returns every conversation whose lifetime overlaps it
 * (start < end and (conversationEnd ?? now) > start), so neighbouring intervals share the ones
 * that cross their boundary. A conversation still running at `now` has no conversationEnd.
 *
 * The truth says what happened, independently of how the marts will infer it: the bot flow (if
 * any), whether the bot contained the conversation, escalated it to a queue, or the customer left
 * inside the bot with no outcome reached, and the bot flow outcomes reached, with their times (the
 * record lists them out of time order for some conversations).
 */
import { Rng, hashString, hex } from '../random.js';

export type GenesysScenario = 'contained' | 'escalated' | 'abandoned' | 'no_bot';

export interface GenesysGeneratorOptions {
  seed: number;
  conversationsPerDay: number;
  /** Every Nth conversation of a day (N ≥ 2) is served with an unparsable conversationStart; 0 = none. */
  invalidEvery?: number;
}

interface FlowDef {
  id: string;
  name: string;
  flowType: 'BOT' | 'DIGITALBOT' | 'INBOUNDCALL' | 'INBOUNDCHAT';
  outcomes: Array<{ id: string; name: string }>;
}

/** Bot flows (each a `bot_id` in the marts) and the non-bot entry flows. */
export const GENESYS_FLOWS: readonly FlowDef[] = [
  flow('Support Digital Bot', 'DIGITALBOT', ['Order status', 'Reset password', 'Opening hours', 'Refund request', 'Change address']),
  flow('Billing Voice Bot', 'BOT', ['Pay invoice', 'Balance enquiry', 'Dispute charge', 'Payment plan']),
  flow('Main IVR', 'INBOUNDCALL', []),
  flow('Web Chat Entry', 'INBOUNDCHAT', []),
];
/** Every flow outcome defined in the org, as Architect lists them (GET /api/v2/flows/outcomes). */
export const GENESYS_FLOW_OUTCOMES: ReadonlyArray<{ id: string; name: string; description: string }> = GENESYS_FLOWS.flatMap((f) =>
  f.outcomes.map((o) => ({ id: o.id, name: o.name, description: `${o.name} (${f.name})` })),
);
const BOT_FLOWS = GENESYS_FLOWS.filter((f) => f.flowType === 'BOT' || f.flowType === 'DIGITALBOT');
const ENTRY_FLOWS = GENESYS_FLOWS.filter((f) => f.flowType === 'INBOUNDCALL' || f.flowType === 'INBOUNDCHAT');
const QUEUES = ['queue-general', 'queue-billing', 'queue-priority'].map((name) => ({ id: uuid(hashString(name), 0), name }));
const AGENTS = Array.from({ length: 6 }, (_, i) => uuid(hashString(`agent-${i}`), 1));
const AGENT_NAMES = ['Dana Whitfield', 'Omar Haddad', 'Priya Raman', 'Lukas Brandt', 'Sofia Marquez', 'Kenji Watanabe'];
const CUSTOMER_FIRST = ['Olivia', 'Mateo', 'Aisha', 'Finn', 'Yara', 'Tomasz', 'Grace', 'Ravi'];
const CUSTOMER_LAST = ['Okafor', 'Lindqvist', 'Moreau', 'Castillo', 'Brennan', 'Nakamura', 'Petrov', 'Hughes'];
/** The org's number customers dial (dnis). */
const ORG_NUMBER = '+18005550142';
const DIVISION = uuid(hashString('division-home'), 2);
const SCENARIOS: ReadonlyArray<readonly [GenesysScenario, number]> = [['contained', 45], ['escalated', 30], ['abandoned', 15], ['no_bot', 10]];

function flow(name: string, flowType: FlowDef['flowType'], outcomes: string[]): FlowDef {
  const id = uuid(hashString(name), 3);
  return { id, name, flowType, outcomes: outcomes.map((o) => ({ id: uuid(hashString(`${name}/${o}`), 4), name: o })) };
}

/** A UUID-shaped id from two numbers (deterministic, not random). */
function uuid(a: number, b: number): string {
  const c = hashString(`${a}:${b}`);
  const d = hashString(`${b}:${a}`, 7);
  return `${hex(a, 8)}-${hex(c, 4)}-4${hex(c >>> 16, 3)}-a${hex(d, 3)}-${hex(d >>> 12, 4)}${hex(a ^ d, 8)}`;
}

export interface GenesysTruth {
  conversationId: string;
  startMs: number;
  /** When it ends (may be after `now`: then the API shows it as active, without conversationEnd). */
  endMs: number;
  scenario: GenesysScenario;
  /** The bot flow's id, or undefined for a conversation that never met a bot. */
  botFlowId: string | undefined;
  /** The first flow the conversation entered (bot or entry flow). */
  firstFlowId: string;
  /**
   * Bot flow outcomes entered, in the order the record lists them (not always time order: see
   * `outcomesOutOfOrder`): name, the value the flow set (SUCCESS / FAILURE) and when it was entered.
   */
  outcomes: Array<{ name: string; value: 'SUCCESS' | 'FAILURE'; startMs: number }>;
  /** The record lists the outcomes newest first (about half of those with two), as detail records may. */
  outcomesOutOfOrder: boolean;
  /** Names of the outcomes reached (value SUCCESS), in time order. */
  outcomesReached: string[];
  /** Served broken (unparsable conversationStart): the connector must quarantine it. */
  invalid: boolean;
  /** conversation.selfServed as the API will send it; sometimes absent (fallback rules apply). */
  selfServed: boolean | undefined;
  mediaType: 'message' | 'voice';
  /**
   * The personal values the record carries (participant names of people, externalContactId, the
   * attributes' values, ani / dnis): what `pii` governs. The agent's name only once the agent joined.
   */
  personal: { customerName: string; email: string; phone: string; externalContactId: string; account: string; dnis: string; agentName?: string };
}

export interface GenesysConversation {
  truth: GenesysTruth;
  /** The record as a job result page carries it, for a request made at `now`. */
  record(nowMs: number): Record<string, unknown>;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The conversations that start on UTC day `day` (YYYY-MM-DD). */
export function conversationsStartingOn(day: string, options: GenesysGeneratorOptions): GenesysConversation[] {
  const dayStart = Date.parse(`${day}T00:00:00.000Z`);
  const rng = new Rng(hashString(day, options.seed));
  const out: GenesysConversation[] = [];
  const every = options.invalidEvery ?? 0;
  for (let i = 0; i < options.conversationsPerDay; i++) out.push(makeConversation(rng, dayStart, day, i, every >= 2 && i % every === every - 1));
  return out.sort((a, b) => a.truth.startMs - b.truth.startMs);
}

/**
 * What a job over [intervalStart, intervalEnd) returns at `now`: every conversation whose lifetime
 * overlaps the interval, ordered by start. Conversations last at most a day, so only the days from
 * the one before the interval to its last day are generated.
 */
export function conversationsOverlapping(intervalStartMs: number, intervalEndMs: number, nowMs: number, options: GenesysGeneratorOptions): GenesysConversation[] {
  const out: GenesysConversation[] = [];
  for (let day = Math.floor(intervalStartMs / DAY) * DAY - DAY; day < intervalEndMs; day += DAY) {
    for (const conversation of conversationsStartingOn(new Date(day).toISOString().slice(0, 10), options)) {
      const { startMs, endMs } = conversation.truth;
      if (startMs >= nowMs) continue; // not started yet
      if (startMs < intervalEndMs && Math.min(endMs, nowMs) > intervalStartMs) out.push(conversation);
    }
  }
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function makeConversation(rng: Rng, dayStart: number, day: string, index: number, invalid: boolean): GenesysConversation {
  const scenario = rng.weighted(SCENARIOS);
  const mediaType = rng.chance(0.6) ? 'message' : 'voice';
  // Most start during the day; a few in the last half hour, so they cross midnight.
  const startMs = rng.chance(0.08) ? dayStart + DAY - rng.int(1, 30) * MINUTE : dayStart + rng.int(0, DAY - 31 * MINUTE);
  const bot = scenario === 'no_bot' ? undefined : (mediaType === 'voice' ? BOT_FLOWS[1] : BOT_FLOWS[0])!;
  const entry = (mediaType === 'voice' ? ENTRY_FLOWS[0] : ENTRY_FLOWS[1])!;
  const conversationId = uuid(hashString(day, index), index);
  const customerId = uuid(hashString(conversationId), 5);

  // Timeline: bot part, then (escalated / no_bot) queue wait and agent talk.
  const botEnd = startMs + rng.int(1, 8) * MINUTE;
  const outcomesReached: Array<{ def: FlowDef['outcomes'][number]; startMs: number; endMs: number; value: 'SUCCESS' | 'FAILURE' }> = [];
  if (bot && scenario !== 'abandoned') {
    const count = scenario === 'contained' ? rng.int(1, 2) : rng.int(0, 1);
    let at = startMs + rng.int(10, 60) * 1000;
    for (let k = 0; k < count; k++) {
      const def = rng.pick(bot.outcomes);
      const endAt = Math.min(botEnd - 1000, at + rng.int(20, 120) * 1000);
      outcomesReached.push({ def, startMs: at, endMs: endAt, value: scenario === 'contained' || rng.chance(0.3) ? 'SUCCESS' : 'FAILURE' });
      at = endAt + 1000;
    }
  }
  const queued = scenario === 'escalated' || scenario === 'no_bot';
  const queueStart = bot ? botEnd : startMs + rng.int(5, 60) * 1000;
  const agentStart = queueStart + rng.int(10, 300) * 1000;
  const endMs = queued ? agentStart + rng.int(2, 25) * MINUTE : botEnd;
  const selfServed = rng.chance(0.7) ? scenario === 'contained' : undefined;
  // Decided by index, not drawn, so the rest of the data stays as it was.
  const outcomesOutOfOrder = outcomesReached.length >= 2 && index % 2 === 0;
  const listed = outcomesOutOfOrder ? [...outcomesReached].reverse() : outcomesReached;
  const queue = rng.pick(QUEUES);
  const agent = rng.pick(AGENTS);
  // Personal values, derived from the id (no draws: the other fields stay as they were).
  const h = hashString(conversationId, 9);
  const first = CUSTOMER_FIRST[h % CUSTOMER_FIRST.length]!, last = CUSTOMER_LAST[(h >>> 4) % CUSTOMER_LAST.length]!;
  const personal: GenesysTruth['personal'] = {
    customerName: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${(h >>> 8) % 97}@example.org`,
    phone: `+1317555${String((h >>> 12) % 10_000).padStart(4, '0')}`,
    externalContactId: customerId,
    account: `AC-${String((h >>> 5) % 1_000_000).padStart(6, '0')}`,
    dnis: ORG_NUMBER,
  };
  const agentName = AGENT_NAMES[AGENTS.indexOf(agent)]!;
  if (queued) personal.agentName = agentName;

  const truth: GenesysTruth = {
    conversationId,
    startMs,
    endMs,
    scenario,
    botFlowId: bot?.id,
    firstFlowId: (bot ?? entry).id,
    outcomes: listed.map((o) => ({ name: o.def.name, value: o.value, startMs: o.startMs })),
    outcomesOutOfOrder,
    outcomesReached: outcomesReached.filter((o) => o.value === 'SUCCESS').map((o) => o.def.name),
    invalid,
    selfServed,
    mediaType,
    personal,
  };

  const record = (nowMs: number): Record<string, unknown> => {
    const active = endMs > nowMs;
    const until = (ms: number) => (ms > nowMs ? undefined : iso(ms));
    const segment = (type: string, from: number, to: number, extra: Record<string, unknown> = {}) => ({
      segmentStart: iso(from),
      ...(until(to) ? { segmentEnd: until(to) } : {}),
      segmentType: type,
      ...extra,
    });
    const participants: Array<Record<string, unknown>> = [
      {
        participantId: uuid(hashString(conversationId), 10),
        participantName: personal.customerName,
        purpose: 'customer',
        externalContactId: customerId,
        attributes: { customerName: personal.customerName, customerEmail: personal.email, accountNumber: personal.account },
        sessions: [
          {
            sessionId: uuid(hashString(conversationId), 11),
            mediaType,
            direction: 'inbound',
            ...(mediaType === 'voice' ? { ani: `tel:${personal.phone}`, dnis: `tel:${ORG_NUMBER}`, sessionDnis: `tel:${ORG_NUMBER}` } : {}),
            segments: [segment('interact', startMs, endMs, scenario === 'abandoned' && until(endMs) ? { disconnectType: 'client' } : {})],
          },
        ],
      },
    ];
    const flowDef = bot ?? entry;
    participants.push({
      participantId: uuid(hashString(conversationId), 12),
      participantName: flowDef.name,
      purpose: bot ? 'botflow' : 'ivr',
      sessions: [
        {
          sessionId: uuid(hashString(conversationId), 13),
          mediaType,
          flow: {
            flowId: flowDef.id,
            flowName: flowDef.name,
            flowType: flowDef.flowType,
            ...(until(bot ? botEnd : queueStart)
              ? { exitReason: queued ? 'TRANSFER' : scenario === 'abandoned' ? 'DISCONNECT' : 'FLOW_DISCONNECT', ...(queued ? { transferType: 'ACD', transferTargetName: queue.name } : {}) }
              : {}),
            ...(outcomesReached.length
              ? {
                  outcomes: listed
                    .filter((o) => o.startMs <= nowMs)
                    .map((o) => ({
                      // as the API sends it: "<outcome id>:<value>" (names come from /api/v2/flows/outcomes)
                      flowOutcome: `${o.def.id}:${o.value}`,
                      flowOutcomeId: o.def.id,
                      flowOutcomeValue: o.value,
                      flowOutcomeStartTimestamp: iso(o.startMs),
                      ...(until(o.endMs) ? { flowOutcomeEndTimestamp: until(o.endMs) } : {}),
                    })),
                }
              : {}),
          },
          metrics: bot ? [{ name: 'nFlow', value: 1, emitDate: iso(startMs) }] : [],
          segments: [segment(bot ? 'interact' : 'ivr', startMs, bot ? botEnd : queueStart)],
        },
      ],
    });
    if (queued && queueStart <= nowMs) {
      participants.push({
        participantId: uuid(hashString(conversationId), 14),
        participantName: queue.name,
        purpose: 'acd',
        sessions: [{ sessionId: uuid(hashString(conversationId), 15), mediaType, segments: [segment('interact', queueStart, agentStart, { queueId: queue.id })] }],
      });
    }
    if (queued && agentStart <= nowMs) {
      participants.push({
        participantId: uuid(hashString(conversationId), 16),
        participantName: agentName,
        purpose: 'agent',
        userId: agent,
        sessions: [
          {
            sessionId: uuid(hashString(conversationId), 17),
            mediaType,
            segments: [
              segment('interact', agentStart, endMs - 30_000, { queueId: queue.id }),
              ...(until(endMs) ? [segment('wrapup', endMs - 30_000, endMs, { wrapUpCode: 'resolved', queueId: queue.id })] : []),
            ],
            metrics: until(endMs) ? [{ name: 'tTalk', value: endMs - 30_000 - agentStart, emitDate: iso(endMs - 30_000) }] : [],
          },
        ],
      });
    }
    return {
      conversationId,
      conversationStart: invalid ? `${day} sometime` : iso(startMs),
      ...(active ? {} : { conversationEnd: iso(endMs) }),
      originatingDirection: 'inbound',
      divisionIds: [DIVISION],
      ...(selfServed !== undefined && !active ? { selfServed } : {}),
      ...(mediaType === 'voice' && !active ? { mediaStatsMinConversationMos: 4.38 } : {}),
      participants,
    };
  };

  return { truth, record };
}
