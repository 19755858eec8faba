/**
 * The personal fields of a Genesys Cloud conversation detail record, kept as `pii` says
 * (core/pii.ts) before anything else sees the record — the typed columns, the `record` JSON and the
 * quarantine all start from the scrubbed copy:
 *
 *   participants[].participantName     for people (customer, external, agent, user, …); the
 *                                      names of system participants (acd = a queue, ivr / botflow /
 *                                      workflow = a flow) are not personal and stay
 *   participants[].externalContactId   the customer's contact record
 *   participants[].attributes          participant data (often name, e-mail, account): dropped
 *                                      whole, or every value hashed (keys kept), or raw
 *   participants[].sessions[].ani      the caller's number
 *   participants[].sessions[].dnis, sessionDnis   the number dialled
 *
 * drop → the field is null; hash → `hmac:<hex>`; raw → as delivered (the record is returned as is).
 */
import { keepPersonalValue as keep, type PiiPolicy } from '../../core/pii.js';

type Json = Record<string, unknown>;

/** Purposes of participants that are not people: their names are queues and flows. */
const SYSTEM_PURPOSES = new Set(['acd', 'ivr', 'botflow', 'workflow', 'fax', 'station', 'voicemail']);
const SESSION_FIELDS = ['ani', 'dnis', 'sessionDnis'] as const;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

function scrubAttributes(attributes: unknown, pii: PiiPolicy): unknown {
  if (pii.mode === 'drop' || !isObject(attributes)) return keep(attributes, pii);
  const out: Json = {};
  for (const [key, value] of Object.entries(attributes)) out[key] = keep(value, pii);
  return out;
}

function scrubParticipant(participant: unknown, pii: PiiPolicy): unknown {
  if (!isObject(participant)) return participant;
  const out: Json = { ...participant };
  const purpose = typeof out.purpose === 'string' ? out.purpose.toLowerCase() : '';
  if ('participantName' in out && !SYSTEM_PURPOSES.has(purpose)) out.participantName = keep(out.participantName, pii);
  if ('externalContactId' in out) out.externalContactId = keep(out.externalContactId, pii);
  if ('attributes' in out) out.attributes = scrubAttributes(out.attributes, pii);
  if (Array.isArray(out.sessions)) {
    out.sessions = out.sessions.map((session: unknown) => {
      if (!isObject(session)) return session;
      const copy: Json = { ...session };
      for (const field of SESSION_FIELDS) if (field in copy) copy[field] = keep(copy[field], pii);
      return copy;
    });
  }
  return out;
}

/** The conversation with its personal fields kept per `pii` (a copy; raw returns it unchanged). */
export function scrubConversation(conversation: Json, pii: PiiPolicy): Json {
  if (pii.mode === 'raw' || !Array.isArray(conversation.participants)) return conversation;
  return { ...conversation, participants: conversation.participants.map((p: unknown) => scrubParticipant(p, pii)) };
}
