/**
 * Tests whose windows are whole UTC days read "today" once and expect it to hold while they run: a
 * run that crosses 00:00 UTC would ask the connector for one more day than the truth has. Started
 * within `marginMs` of midnight, such a test waits until just after it.
 */
const DAY_MS = 86_400_000;

export async function clearOfMidnight(marginMs: number): Promise<void> {
  const toMidnight = DAY_MS - (Date.now() % DAY_MS);
  if (toMidnight < marginMs) await new Promise((resolve) => setTimeout(resolve, toMidnight + 2_000));
}
