/**
 * CSV cells the way the Sunbird exhaust's Spark writer produces them (sources.md §4): every string
 * cell quoted, a `"` inside written `\"` (backslash escape, NOT doubled as RFC 4180 would), newlines
 * kept literally inside the quotes, the empty string as `""`, a null as nothing at all (`,,`),
 * numbers and booleans unquoted. A strict RFC 4180 reader mis-reads `\"`, which is the point.
 */

/** A cell: strings are quoted; `{ raw }` is written as is (Spark's doubles, a deliberately broken value). */
export type SparkCell = string | number | boolean | null | { raw: string };

/** A double as Spark prints it: `1.0`, `0.0`, `2.5`. */
export function sparkDouble(n: number): { raw: string } {
  return { raw: Number.isInteger(n) ? n.toFixed(1) : String(n) };
}

export function sparkCell(cell: SparkCell): string {
  if (cell === null) return '';
  if (typeof cell === 'object') return cell.raw;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  // With `\` as the escape character a literal backslash would need escaping too; the exhaust has
  // none (contract), so one here is a generator bug, not something to encode.
  if (cell.includes('\\')) throw new Error(`a Sunbird CSV cell may not hold a backslash: ${JSON.stringify(cell)}`);
  return `"${cell.replaceAll('"', '\\"')}"`;
}

/** One line, newline-terminated (Spark's line separator is `\n`). */
export function sparkCsvLine(cells: readonly SparkCell[]): string {
  return `${cells.map(sparkCell).join(',')}\n`;
}
