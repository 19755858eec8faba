/**
 * Details Genesys adds to a conversation after it ended (the wrapUpDelayHours fault): an agent's
 * wrap-up code is set during after-call work, or hours later, and the data lake then serves the
 * changed conversation — so a sync that read it when it ended holds it without the code until it
 * reads that conversation again (the source's lookback_hours). Applied to a served record: the
 * `wrapUpCode` of every wrap-up segment is left out until `delayMs` after the conversation's end.
 */
export function withLateWrapUp(record: Record<string, unknown>, endMs: number, asOfMs: number, delayMs: number): Record<string, unknown> {
  if (delayMs <= 0 || endMs + delayMs <= asOfMs) return record;
  const participants = (record.participants as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    ...record,
    participants: participants.map((participant) => ({
      ...participant,
      sessions: ((participant.sessions as Array<Record<string, unknown>> | undefined) ?? []).map((session) => ({
        ...session,
        segments: ((session.segments as Array<Record<string, unknown>> | undefined) ?? []).map((segment) => {
          if (segment.segmentType !== 'wrapup') return segment;
          const { wrapUpCode: _late, ...rest } = segment;
          return rest;
        }),
      })),
    })),
  };
}
