import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitTopLevelArray } from '../../connector/core/json-array-split.js';
import { readJsonWithArray } from '../../connector/core/http.js';
import { SystemError } from '../../connector/core/errors.js';

/** What the split says the document is: the envelope parsed, the array put back from its parsed elements. */
function reassemble(text: string, key: string): unknown {
  const split = splitTopLevelArray(text, key);
  if (!split) return undefined;
  const envelope = JSON.parse(split.envelopeText) as Record<string, unknown>;
  expect(envelope[key]).toEqual([]);
  const elements: unknown[] = [];
  for (let i = 0; i < split.spans.length; i += 2) elements.push(JSON.parse(text.slice(split.spans[i], split.spans[i + 1])));
  return { ...envelope, [key]: elements };
}

/** A small seeded generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = ['"', '\\', '\\\\', '\\"', '{', '}', '[', ']', ',', ':', ' ', '\n', 'é', '🙂', '\u2028', 'conversations', '"conversations":['];

function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 5 : 7));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return Math.round((next() - 0.5) * 1e6) / 100;
    case 3:
    case 4: {
      let s = '';
      const parts = Math.floor(next() * 6);
      for (let i = 0; i < parts; i++) s += next() < 0.6 ? NASTY[Math.floor(next() * NASTY.length)] : 'ab';
      return s;
    }
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      const keys = Math.floor(next() * 4);
      for (let i = 0; i < keys; i++) out[`${NASTY[Math.floor(next() * NASTY.length)]}${i}`] = value(next, depth + 1);
      return out;
    }
  }
}

describe('splitTopLevelArray', () => {
  it('finds the elements of any generated page, compact or pretty, with the array before or after the other fields', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const conversations = Array.from({ length: Math.floor(next() * 6) }, () => value(next, 0));
      const other = { cursor: value(next, 2), dataAvailabilityDate: '2026-12-01T00:00:00.000Z', nested: { conversations: value(next, 2) } };
      const page = next() < 0.5 ? { conversations, ...other } : { ...other, conversations };
      for (const text of [JSON.stringify(page), JSON.stringify(page, null, next() < 0.5 ? 2 : '\t'), ` \r\n${JSON.stringify(page)}\n `]) {
        expect(reassemble(text, 'conversations'), `seed ${seed}: ${text}`).toEqual(JSON.parse(text));
      }
    }
  });

  it('keeps strings that end in backslashes or hold brackets and quotes whole', () => {
    const text = '{"conversations":[{"a":"x\\\\"},"\\\\\\"]}","[",{"b":"}\\"{"}],"cursor":"c\\\\"}';
    const split = splitTopLevelArray(text, 'conversations')!;
    expect(split.spans.length / 2).toBe(4);
    expect(reassemble(text, 'conversations')).toEqual(JSON.parse(text));
  });

  it('an empty array has no elements; scalars are elements too', () => {
    expect(splitTopLevelArray('{"conversations":[ ],"cursor":"x"}', 'conversations')).toEqual({ envelopeText: '{"conversations":[],"cursor":"x"}', spans: [] });
    const text = '{"conversations":[1, -2.5e3 ,true,null,"s"]}';
    expect(reassemble(text, 'conversations')).toEqual(JSON.parse(text));
  });

  it('answers undefined for what it does not expect, so the caller parses the text whole', () => {
    for (const text of [
      '', '[]', '{}', '"x"', '{"cursor":"x"}', // no array
      '{"conversations":null}', '{"conversations":{"a":1}}', // not an array
      '{"conversations":[],"conversations":[1]}', // the key twice
      '{"conversati\\u006fns":[1],"conversations":[2]}', // an escaped key
      '{"conversations":[{"a":1} {"b":2}]}', '{"conversations":[1,2', '{"conversations":["open', '{"cursor":"x",}', '{"cursor" "x"}', // broken
    ]) {
      expect(splitTopLevelArray(text, 'conversations'), text).toBeUndefined();
    }
  });

  it('only finds the array at the top level', () => {
    const text = '{"page":{"conversations":[1,2]},"conversations":[3]}';
    expect(reassemble(text, 'conversations')).toEqual(JSON.parse(text));
    expect(splitTopLevelArray('{"page":{"conversations":[1,2]}}', 'conversations')).toBeUndefined();
  });
});

describe('readJsonWithArray', () => {
  // A real response over localhost: the server answers every request with `body`.
  let body = '';
  const server = http.createServer((_request, response) => response.end(body));
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const read = async (text: string) => {
    body = text;
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, resolve).on('error', reject));
    return readJsonWithArray<Record<string, unknown>>({ status: 200, headers: response.headers, body: response }, 'Vendor', { method: 'GET', url: 'http://localhost/x?token=secret' }, 'conversations');
  };

  it('serves the elements a slice at a time, and the body without them', async () => {
    const page = { cursor: 'next', conversations: [{ id: 1 }, { id: 2 }, { id: 3 }] };
    for (const text of [JSON.stringify(page), '{"conversations":[{"id":1},{"id":2},{"id":3}],"cursor":"next","conversations2":[] }']) {
      const got = (await read(text))!;
      expect(got.count).toBe(3);
      expect(got.body.cursor).toBe('next');
      expect(got.body.conversations).toEqual([]);
      expect([...got.take(0, 2), ...got.take(2, 3)]).toEqual(page.conversations);
    }
  });

  it('a body the splitter does not recognise is parsed whole and served the same way', async () => {
    const got = (await read('{"conversations":[{"id":1}],"conversations":[{"id":2},{"id":3}]}'))!;
    expect(got.count).toBe(2);
    expect(got.take(0, 2)).toEqual([{ id: 2 }, { id: 3 }]);
    const none = (await read('{"cursor":"x"}'))!;
    expect(none.count).toBe(0);
    expect(await read('  \n')).toBeUndefined();
  });

  it('an element that is not JSON fails as a body that is not JSON, naming the request without its secrets', async () => {
    const got = (await read('{"conversations":[{"id":1},{"id":tru}],"cursor":"x"}'))!;
    expect(got.take(0, 1)).toEqual([{ id: 1 }]);
    expect(() => got.take(1, 2)).toThrow(SystemError);
    expect(() => got.take(1, 2)).toThrow(/^Vendor answered GET http:\/\/localhost\/x\?\S+ with status 200 but the body is not JSON/);
    expect(() => got.take(1, 2)).not.toThrow(/secret/);
    await expect(read('{"conversations":[1],"cursor":x}')).rejects.toThrow(/body is not JSON/);
    await expect(read('{"conversations":[1]')).rejects.toThrow(/body is not JSON/);
  });
});
