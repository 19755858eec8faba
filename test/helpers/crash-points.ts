/**
 * SIGKILL at named crash points (connector/core/failpoint.ts), for the crash-and-resume tests: each
 * kill must land at its point, and afterwards the warehouse must hold some of the truth but not all
 * (something committed before the kill, something left to resume). The counts are printed, one line
 * per kill (`crash partial: …`), so a run shows how much each point had committed.
 */
import { expect } from 'vitest';
import { syncKilledAt } from './cli.js';

export interface Kill {
  /** A failpoint name, with `@n` for its n-th arrival. */
  point: string;
  /** Rows committed after the kill. */
  partial: number;
}

/**
 * Kills `parley sync --config F` at `point`, then counts what is committed (`committed`): it must be
 * more than nothing and less than `truth`. Returns the count; fails the test when the sync ended
 * without reaching the point.
 */
export async function killAt(label: string, config: string, point: string, committed: () => Promise<number>, truth: number, env: NodeJS.ProcessEnv = {}): Promise<Kill> {
  const { reached, result } = await syncKilledAt(config, point, { env });
  expect(reached, `${label}: the sync never reached ${point} (exit ${result.code}):\n${result.stderr.slice(-2000)}`).toBe(true);
  expect(result.signal).toBe('SIGKILL');
  const partial = await committed();
  console.log(`crash partial: ${label} ${point} ${partial} of ${truth}`);
  expect(partial, `${label} ${point}: nothing was committed before the kill`).toBeGreaterThan(0);
  expect(partial, `${label} ${point}: everything was committed before the kill`).toBeLessThan(truth);
  return { point, partial };
}
