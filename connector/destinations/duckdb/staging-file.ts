/**
 * A batch of rows for one DuckDB table, written to a delimited file that DuckDB's CSV reader loads in
 * one statement (measured: ~3x cheaper per row than the appender from Node, and no per-row INSERTs).
 * Fields are separated by \x1f, which valid JSON never contains raw; text with control characters is
 * wrapped in \x02 quotes (doubling any \x02 inside). NULL is \N.
 */
export const DELIMITER = '\x1f';
export const QUOTE = '\x02';
export const NULL_TEXT = '\\N';
const NEEDS_QUOTING = /[\x00-\x1f]/;
/**
 * Longest staged row DuckDB accepts. Its CSV reader holds two buffers at once, each at least the
 * line limit (it refuses a smaller one), 16× it by default: an 8 MiB limit with the default buffer
 * measured 100+ MiB more peak memory.
 */
export const MAX_ROW_BYTES = 8 * 1024 * 1024;
/**
 * The line limit a batch of short rows gets. The limit is sized to each batch's longest row (see
 * csvOptions): a 48 MiB Genesys batch into a 300k-row table needed a 54 MB memory_limit with 16 MiB
 * buffers, 26 MB with 4 MiB and 23 MB with 2 MiB, at the same CPU (DuckDB 1.5).
 */
const MIN_LINE_LIMIT = 1024 * 1024;

/** read_csv's line limit for a batch whose longest line is this many bytes: a power of two, within [MIN_LINE_LIMIT, MAX_ROW_BYTES]. */
export function lineLimit(longestLineBytes: number): number {
  let limit = MIN_LINE_LIMIT;
  while (limit <= longestLineBytes && limit < MAX_ROW_BYTES) limit *= 2;
  return limit;
}

export function textCell(value: string): string {
  // Quoted so that an empty string and the literal text \N stay text, not NULL.
  if (value === '' || value === NULL_TEXT) return QUOTE + value + QUOTE;
  if (!NEEDS_QUOTING.test(value)) return value;
  return QUOTE + value.replaceAll('\x00', '').replaceAll(QUOTE, QUOTE + QUOTE) + QUOTE;
}

/**
 * A cell for JSON text (a `record` as delivered or stringified, a JSON column). Valid JSON holds no
 * raw control character but the whitespace \t, \n and \r, so it can never contain the delimiter, the
 * quote, \x00 or the text \N; only a line break needs quoting. Two native scans instead of the
 * regular expression over ~1.4 KB per record (it measured 3 % of a sync's CPU).
 */
export function jsonTextCell(json: string): string {
  return json.indexOf('\n') === -1 && json.indexOf('\r') === -1 ? json : textCell(json);
}

/**
 * read_csv options matching the writer above. `longestLineBytes` (the batch file's longest line)
 * sizes the reader's line limit and buffer to the batch; without it they are the largest
 * (MAX_ROW_BYTES). A row longer than MAX_ROW_BYTES fails the load either way.
 */
export function csvOptions(columns: readonly { name: string; csvType: string }[], longestLineBytes = MAX_ROW_BYTES): string {
  const list = columns.map((c) => `'${c.name}': '${c.csvType}'`).join(', ');
  const limit = lineLimit(longestLineBytes);
  // The control characters go into the SQL literally; DuckDB takes them as one-byte options.
  return (
    `delim='${DELIMITER}', quote='${QUOTE}', escape='${QUOTE}', header=false, auto_detect=false, ` +
    `nullstr='${NULL_TEXT}', allow_quoted_nulls=false, max_line_size=${limit}, buffer_size=${2 * limit}, columns={${list}}`
  );
}
