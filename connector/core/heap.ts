/**
 * How far V8 lets the old generation grow past what survived its last full collection. V8's own
 * factor grows the heap up to 4×; a sync's live set is small (rows stream through) but the awaits
 * promote its garbage, so the heap peaked at 80–165 MiB holding 30–40 MiB. bin/parley.js sets
 * `DEFAULT_HEAP_GROWTH_PERCENT` for every command but the simulators; a source whose records are
 * large nested documents may declare its own (`Source.heapGrowthPercent`), which a read applies
 * while it runs. A flag the user gave (node option or NODE_OPTIONS) always wins.
 *
 * Measured: growing by 30 % is −15 to −75 MiB of peak RSS for ~1 % more CPU on Ultimate and
 * Sunbird rows.
 */
import v8 from 'node:v8';

export const DEFAULT_HEAP_GROWTH_PERCENT = 30;
const FLAG = 'heap-growing-percent';

/** 0 = V8's own factor (the flag's default). */
let current = 0;

function userSetIt(): boolean {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((option) => option.includes(FLAG));
}

/** Sets the growth (0 = V8's own) unless the user set it; returns the growth it replaced, to set back afterwards. */
export function setHeapGrowth(percent: number): number {
  const before = current;
  if (userSetIt() || percent === current) return before;
  v8.setFlagsFromString(`--${FLAG}=${percent}`);
  current = percent;
  return before;
}
