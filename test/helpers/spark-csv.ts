/**
 * A minimal reader for the Sunbird exhaust's Spark CSV, written for the tests on its own (never the
 * simulator's writer, never the connector's parser): a quoted cell ends at an unescaped `"`, `\"`
 * inside it is a quote, newlines inside it are content; an unquoted cell runs to the next `,` or
 * newline. A quoted empty cell is "" and an unquoted empty one is null, which is how the files tell
 * an empty string from a null. Anything else (a stray backslash, text after a closing quote, an
 * unterminated quote) throws, so a writer bug cannot slip through as odd data.
 */

export type CsvCell = string | null;

export function parseSparkCsv(text: string): CsvCell[][] {
  const rows: CsvCell[][] = [];
  let row: CsvCell[] = [];
  let i = 0;
  let afterComma = false; // a comma at the very end leaves one null cell to add
  const fail = (why: string): never => {
    throw new Error(`CSV at offset ${i}: ${why}`);
  };
  while (i < text.length) {
    afterComma = false;
    let cell: CsvCell;
    if (text[i] === '"') {
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length) fail('unterminated quoted cell');
        const ch = text[i] as string;
        if (ch === '\\') {
          if (text[i + 1] !== '"') fail('a backslash that does not escape a quote');
          value += '"';
          i += 2;
        } else if (ch === '"') {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      cell = value;
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\n') end++;
      const raw = text.slice(i, end);
      if (raw.includes('"') || raw.includes('\\')) fail(`a quote or backslash in an unquoted cell: ${raw}`);
      cell = raw === '' ? null : raw;
      i = end;
    }
    row.push(cell);
    if (i >= text.length) break;
    if (text[i] === ',') {
      i++;
      afterComma = true;
    } else if (text[i] === '\n') {
      rows.push(row);
      row = [];
      i++;
    } else fail(`unexpected ${JSON.stringify(text[i])} after a cell`);
  }
  if (afterComma) row.push(null);
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Rows as header → cell records (the header row unquoted, as Spark writes it). */
export function sparkCsvRecords(text: string): { header: string[]; records: Array<Record<string, CsvCell>> } {
  const [head, ...rows] = parseSparkCsv(text);
  if (!head) return { header: [], records: [] };
  const header = head.map((h) => h ?? '');
  const records = rows.map((cells) => {
    if (cells.length !== header.length) throw new Error(`a row of ${cells.length} cells under a header of ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h, cells[k] ?? null]));
  });
  return { header, records };
}
