/**
 * Genesys Cloud conversation detail records → Parley's record. The top-level fields are kept under
 * snake_case names (conversationStart → conversation_start), normalised (UTC ISO timestamps,
 * booleans); `participants` stays nested exactly as delivered. A few facts the models need are read
 * off the participant tree here, mechanically (no business rule; DECISIONLOG.md says how the marts
 * use them), so the warehouse can filter and join on typed columns instead of walking JSON:
 *
 *   media_type                 the customer's first session's mediaType
 *   first_flow_*               the first flow the conversation entered (by segment start)
 *   bot_flow_*                 the first BOT / DIGITALBOT flow: id, name, type, start, exit reason,
 *                              transfer type
 *   acd_started_at             first segment start of an `acd` (queue) participant
 *   agent_started_at           first segment start of an `agent` participant
 *   customer_disconnect_type   disconnectType of the customer's last segment that has one
 *   flow_outcomes              every flow outcome, in time order: {flow_id, flow_type, outcome_id,
 *                              outcome_value, started_at, ended_at}
 *
 * A record that cannot be keyed or dated throws InvalidRecord (→ quarantine) naming the field.
 */
import { InvalidRecord } from '../../core/quarantine.js';
import { toIsoTimestamp } from '../../core/record-values.js';

const BOT_FLOW_TYPES = new Set(['BOT', 'DIGITALBOT']);

export type GenesysRecord = Record<string, unknown> & {
  conversation_id: string;
  conversation_start: string;
  conversation_end: string | null;
};

interface FlowFact {
  at: string;
  flowId: string | null;
  flowName: string | null;
  flowType: string | null;
  exitReason: string | null;
  transferType: string | null;
}

type Json = Record<string, unknown>;

const snakeNames = new Map<string, string>();

/** camelCase → snake_case for a top-level key (conversationId → conversation_id); memoised, keys repeat. */
function snake(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) {
    name = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
    if (snakeNames.size < 10_000) snakeNames.set(key, name);
  }
  return name;
}

export function normaliseGenesysConversation(input: unknown): GenesysRecord {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new InvalidRecord('not a JSON object');
  const source = input as Json;
  const record: Json = {};
  for (const key in source) record[snake(key)] = source[key];

  const id = record.conversation_id;
  if (typeof id !== 'string' || id === '') throw new InvalidRecord('conversationId: missing or empty');
  if (record.conversation_start === undefined || record.conversation_start === null) throw new InvalidRecord('conversationStart: missing');
  record.conversation_start = toIsoTimestamp(record.conversation_start, 'conversationStart');
  record.conversation_end = record.conversation_end === undefined || record.conversation_end === null ? null : toIsoTimestamp(record.conversation_end, 'conversationEnd');
  if (record.self_served !== undefined && record.self_served !== null && typeof record.self_served !== 'boolean') {
    if (record.self_served === 'true' || record.self_served === 'false') record.self_served = record.self_served === 'true';
    else throw new InvalidRecord(`selfServed: ${JSON.stringify(record.self_served)} is not true/false`);
  }
  const participants = record.participants ?? [];
  if (!Array.isArray(participants)) throw new InvalidRecord('participants: expected a list');
  Object.assign(record, participantFacts(participants as unknown[]));
  return record as GenesysRecord;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function objects(value: unknown, where: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidRecord(`${where}: expected a list`);
  return value.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new InvalidRecord(`${where}[${i}]: expected an object`);
    return item as Json;
  });
}

function participantFacts(participants: unknown[]): Json {
  let mediaType: string | null = null;
  let customerDisconnect: { at: string; type: string } | null = null;
  let acdStart: string | null = null;
  let agentStart: string | null = null;
  const flows: FlowFact[] = [];
  const outcomes: Json[] = [];
  const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null || a <= b ? a : b);

  objects(participants, 'participants').forEach((participant, p) => {
    const purpose = text(participant.purpose);
    objects(participant.sessions, `participants[${p}].sessions`).forEach((session, s) => {
      const where = `participants[${p}].sessions[${s}]`;
      let sessionStart: string | null = null;
      objects(session.segments, `${where}.segments`).forEach((segment, g) => {
        const start = segment.segmentStart === undefined || segment.segmentStart === null ? null : toIsoTimestamp(segment.segmentStart, `${where}.segments[${g}].segmentStart`);
        sessionStart = earliest(sessionStart, start);
        if (purpose === 'customer' && text(segment.disconnectType) && start !== null && (customerDisconnect === null || start >= customerDisconnect.at)) {
          customerDisconnect = { at: start, type: segment.disconnectType as string };
        }
      });
      if (purpose === 'customer' && mediaType === null) mediaType = text(session.mediaType);
      if (purpose === 'acd') acdStart = earliest(acdStart, sessionStart);
      if (purpose === 'agent') agentStart = earliest(agentStart, sessionStart);
      const flow = session.flow;
      if (flow === null || typeof flow !== 'object' || Array.isArray(flow)) return;
      const f = flow as Json;
      const fact: FlowFact = {
        at: sessionStart ?? '9999',
        flowId: text(f.flowId),
        flowName: text(f.flowName),
        flowType: text(f.flowType),
        exitReason: text(f.exitReason),
        transferType: text(f.transferType),
      };
      flows.push(fact);
      objects(f.outcomes, `${where}.flow.outcomes`).forEach((outcome, o) => {
        const at = (name: string) => (outcome[name] === undefined || outcome[name] === null ? null : toIsoTimestamp(outcome[name], `${where}.flow.outcomes[${o}].${name}`));
        outcomes.push({
          flow_id: fact.flowId,
          flow_type: fact.flowType,
          outcome_id: text(outcome.flowOutcomeId) ?? text(String(outcome.flowOutcome ?? '').split(':')[0]),
          outcome_value: text(outcome.flowOutcomeValue),
          started_at: at('flowOutcomeStartTimestamp'),
          ended_at: at('flowOutcomeEndTimestamp'),
        });
      });
    });
  });

  // Stable sorts: equal times keep the order of the record.
  flows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  outcomes.sort((a, b) => {
    const x = (a.started_at as string | null) ?? '9999';
    const y = (b.started_at as string | null) ?? '9999';
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const first = flows[0];
  const bot = flows.find((f) => f.flowType !== null && BOT_FLOW_TYPES.has(f.flowType));
  const disconnect = customerDisconnect as { at: string; type: string } | null;
  return {
    media_type: mediaType,
    first_flow_id: first?.flowId ?? null,
    first_flow_name: first?.flowName ?? null,
    first_flow_type: first?.flowType ?? null,
    bot_flow_id: bot?.flowId ?? null,
    bot_flow_name: bot?.flowName ?? null,
    bot_flow_type: bot?.flowType ?? null,
    bot_flow_started_at: bot && bot.at !== '9999' ? bot.at : null,
    bot_flow_exit_reason: bot?.exitReason ?? null,
    bot_flow_transfer_type: bot?.transferType ?? null,
    acd_started_at: acdStart,
    agent_started_at: agentStart,
    customer_disconnect_type: disconnect?.type ?? null,
    flow_outcomes: outcomes,
  };
}
