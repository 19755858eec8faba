/**
 * The DuckDB staging file as DuckDB reads it: cells written by textCell / jsonTextCell come back
 * exactly, and a batch file reused for a shorter batch holds that batch only (no tail of the last).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchFile } from '../../connector/destinations/batch-file.js';
import { csvOptions, DELIMITER, jsonTextCell, lineLimit, MAX_ROW_BYTES, NULL_TEXT, textCell } from '../../connector/destinations/duckdb/staging-file.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-staging-'));
let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => {
  instance.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function readBack(file: string, longestLine?: number): Promise<Array<[string | null, string | null]>> {
  const connection = await instance.connect();
  const options = csvOptions(
    [
      { name: 'text', csvType: 'VARCHAR' },
      { name: 'json', csvType: 'VARCHAR' },
    ],
    longestLine,
  );
  const rows = (await connection.runAndReadAll(`SELECT text, json FROM read_csv('${file}', ${options})`)).getRows();
  connection.closeSync();
  return rows.map(([text, json]) => [text === null ? null : String(text), json === null ? null : String(json)]);
}

/** A batch file, the rows appended to it (text and JSON cells) and a function that appends one. */
function stagedRows(name: string) {
  const file = new BatchFile(path.join(dir, name));
  const expected: Array<[string, string]> = [];
  const add = (text: string, json: string) => {
    expected.push([text, json]);
    file.append(`${textCell(text)}${DELIMITER}${jsonTextCell(json)}\n`);
  };
  return { file, expected, add };
}

describe('DuckDB staging file', () => {
  it('round-trips text and JSON cells, including line breaks, quotes, delimiters and NULL', async () => {
    const texts = ['plain', '', '\\N', 'tab\there', `line\nbreak`, `cr\rhere`, `quote\x02inside`, `delim${DELIMITER}inside`];
    const jsons = [
      JSON.stringify({ a: 'x', n: 1 }),
      '{\n  "pretty": true\n}', // a JSON-array export's element keeps its line breaks
      '{"a":\r\n1}',
      JSON.stringify({ text: 'line\nbreak \\N \u0002 \u001f' }), // escaped inside: stays one line
      JSON.stringify('\\N'),
      '[]',
      JSON.stringify({ ctl: '\u0000' }),
      '{"z":null}',
    ];
    const file = new BatchFile(path.join(dir, 'cells.rows'));
    for (let i = 0; i < texts.length; i++) file.append(`${textCell(texts[i]!)}${DELIMITER}${jsonTextCell(jsons[i]!)}\n`);
    file.append(`${NULL_TEXT}${DELIMITER}${NULL_TEXT}\n`);
    file.finish();
    const rows = await readBack(file.path);
    file.close();
    expect(rows).toEqual([...texts.map((t, i) => [t, jsons[i]]), [null, null]]);
  });

  it('a reused file holds only the newest batch, whether it is shorter or longer', async () => {
    const file = new BatchFile(path.join(dir, 'reuse.rows'));
    const batch = (n: number, tag: string) => {
      for (let i = 0; i < n; i++) file.append(`${tag}-${i}${DELIMITER}${JSON.stringify({ i, pad: 'x'.repeat(200) })}\n`);
      file.finish();
    };
    batch(5000, 'long');
    expect((await readBack(file.path)).length).toBe(5000);
    file.reset();
    batch(3, 'short');
    expect((await readBack(file.path)).map(([text]) => text)).toEqual(['short-0', 'short-1', 'short-2']);
    file.reset();
    batch(6000, 'longer');
    const rows = await readBack(file.path);
    expect(rows.length).toBe(6000);
    expect(rows.every(([text]) => text!.startsWith('longer-'))).toBe(true);
    file.close();
  });

  it('keeps multi-byte text whole across buffer boundaries, and a line longer than the buffer', async () => {
    const { file, expected, add } = stagedRows('wide.rows');
    // ~4 MiB of 1-, 2-, 3- and 4-byte characters, lines of varying length so they straddle every 1 MiB boundary.
    for (let i = 0; i < 3000; i++) add(`row-${i}-${'é漢😀'.repeat(i % 97)}`, JSON.stringify({ i, s: 'ü'.repeat(300 + (i % 500)) }));
    add('huge', JSON.stringify({ s: '漢'.repeat(700_000) })); // ~2 MiB in UTF-8: more than the buffer holds
    for (let i = 0; i < 10; i++) add(`after-${i}`, JSON.stringify({ i }));
    file.finish();
    const rows = await readBack(file.path);
    file.close();
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
  });

  it('sizes the reader to the batch: a long row among short ones loads, and the limit follows the longest line of this batch only', async () => {
    const { file, expected, add } = stagedRows('sized.rows');
    for (let i = 0; i < 2000; i++) add(`short-${i}`, JSON.stringify({ i }));
    const long = JSON.stringify({ s: '漢'.repeat(1_200_000) }); // 3.6 MB in UTF-8: past a 2 MiB limit
    add('long', long);
    add('after', '{}');
    file.finish();
    const longestBytes = Buffer.byteLength(`long${DELIMITER}${long}\n`);
    expect(file.longestLine).toBe(longestBytes);
    expect(await readBack(file.path, file.longestLine)).toEqual(expected);
    // A limit the long row does not fit is refused by DuckDB: the sizing is what makes it load.
    await expect(readBack(file.path, 2 * 1024 * 1024 - 1)).rejects.toThrow(/line|buffer/i);

    file.reset();
    expect(file.longestLine).toBe(0);
    file.append(`a${DELIMITER}{}\n`);
    file.finish();
    expect(file.longestLine).toBe(5);
    expect(await readBack(file.path, file.longestLine)).toEqual([['a', '{}']]);
    file.close();
  });

  it('line limits are powers of two above the longest line, from 1 MiB up to MAX_ROW_BYTES', () => {
    expect(lineLimit(0)).toBe(1 << 20);
    expect(lineLimit(3_000)).toBe(1 << 20);
    expect(lineLimit((1 << 20) - 1)).toBe(1 << 20);
    expect(lineLimit(1 << 20)).toBe(2 << 20); // the line must be shorter than the limit
    expect(lineLimit(3_600_000)).toBe(4 << 20);
    expect(lineLimit(MAX_ROW_BYTES + 5)).toBe(MAX_ROW_BYTES);
    expect(csvOptions([{ name: 'a', csvType: 'VARCHAR' }], 3_000)).toContain(`max_line_size=${1 << 20}, buffer_size=${2 << 20}`);
    expect(csvOptions([{ name: 'a', csvType: 'VARCHAR' }])).toContain(`max_line_size=${MAX_ROW_BYTES}, buffer_size=${2 * MAX_ROW_BYTES}`);
  });
});
