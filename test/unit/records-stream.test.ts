import { describe, expect, it } from 'vitest';
import { recordTexts } from '../../connector/core/records-stream.js';

async function collect(chunks: (string | Buffer)[]): Promise<string[]> {
  async function* source() {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
  }
  const out: string[] = [];
  for await (const t of recordTexts(source())) out.push(t);
  return out;
}

/** Every way of cutting the bytes of `text` into 2 chunks, plus 1-byte chunks (cuts land inside UTF-8 sequences too). */
function splits(text: string): Buffer[][] {
  const bytes = Buffer.from(text);
  const out: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return out;
}

describe('recordTexts', () => {
  const records = [{ a: 1, s: 'x, y } ] "q"' }, { b: [1, { c: '\\' }] }, { u: 'é🙂' }];

  it('splits NDJSON whatever the chunk boundaries, skipping blank lines and CRLF', () => {
    const text = records.map((r) => JSON.stringify(r)).join('\r\n') + '\n\n';
    return Promise.all(splits(text).map(async (chunks) => expect((await collect(chunks)).map((t) => JSON.parse(t))).toEqual(records)));
  });

  it('splits a JSON array (pretty or compact) into elements', async () => {
    for (const text of [JSON.stringify(records), JSON.stringify(records, null, 2), `  \n${JSON.stringify(records)}\n`]) {
      for (const chunks of splits(text)) expect((await collect(chunks)).map((t) => JSON.parse(t))).toEqual(records);
    }
  });

  it('handles empty inputs and empty arrays', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect(['   \n'])).toEqual([]);
    expect(await collect(['[]'])).toEqual([]);
    expect(await collect(['[ ', ' ]'])).toEqual([]);
  });

  it('hands back a broken tail so it can be quarantined, not lost', async () => {
    expect(await collect(['{"a":1}\n{"b":'])).toEqual(['{"a":1}', '{"b":']);
    expect(await collect(['[{"a":1},{"b":'])).toEqual(['{"a":1}', '{"b":']);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const bytes = Buffer.from(JSON.stringify({ u: 'é🙂' }) + '\n');
    async function* source() {
      for (const b of bytes) yield Buffer.from([b]);
    }
    const out: string[] = [];
    for await (const t of recordTexts(source())) out.push(t);
    expect(JSON.parse(out[0]!)).toEqual({ u: 'é🙂' });
  });
});
