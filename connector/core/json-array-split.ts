/**
 * A JSON object whose one big array is parsed element by element, as the elements are taken,
 * instead of all at once: a Genesys results page holds ~1,000 nested conversations (megabytes), and
 * parsing the page whole makes every one of them survive V8's young generation (they are all live
 * until the last is loaded), so each is copied and promoted for nothing. Parsed a slice at a time,
 * most die young.
 *
 * The scanner only finds where the array's elements start and end: strings are skipped to their
 * closing quote (counting the backslashes before it), nesting is counted by brackets. It checks
 * nothing else — the envelope (the object with `[]` in the array's place) and each element go
 * through `JSON.parse`, so whatever is not JSON still fails there. Whatever the scanner does not
 * expect (not an object, the key twice, the value not an array, an element not followed by `,` or
 * `]`) answers `undefined`: the caller parses the text whole, as before.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

export interface SplitArray {
  /** The object with the array replaced by `[]` (text, not yet parsed). */
  readonly envelopeText: string;
  /** Element i is `text.slice(spans[2i], spans[2i+1])`. */
  readonly spans: readonly number[];
}

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** The index just past the string that opens at `at` (a quote), or -1 when it never closes. */
function skipString(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close < 0) return -1;
    let backslashes = 0;
    for (let k = close - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    from = close + 1;
  }
}

/**
 * The index just past the value that starts at `at` (after whitespace), or -1 when the text ends
 * first. Containers are skipped by counting brackets outside strings; a scalar runs to the next
 * `,` `]` `}` or whitespace.
 */
function skipValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return skipString(text, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        i = skipString(text, i);
        if (i < 0) return -1;
        i--;
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        depth++;
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  let i = at;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === COMMA || code === CLOSE_BRACKET || code === CLOSE_BRACE || isSpace(code)) break;
    i++;
  }
  return i > at ? i : -1;
}

/** The elements of the array under top-level `key` of the object `text`, or undefined (see above). */
export function splitTopLevelArray(text: string, key: string): SplitArray | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpace(text, i + 1);
  let found: { open: number; close: number; spans: number[] } | undefined;
  if (text.charCodeAt(i) === CLOSE_BRACE) return undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return undefined;
    const name = text.slice(i + 1, keyEnd - 1);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipSpace(text, i + 1);
    if (name === key) {
      if (found || text.charCodeAt(i) !== OPEN_BRACKET) return undefined;
      const open = i;
      const spans: number[] = [];
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) !== CLOSE_BRACKET) {
        for (;;) {
          const end = skipValue(text, i);
          if (end < 0) return undefined;
          spans.push(i, end);
          i = skipSpace(text, end);
          const next = text.charCodeAt(i);
          if (next === CLOSE_BRACKET) break;
          if (next !== COMMA) return undefined;
          i = skipSpace(text, i + 1);
        }
      }
      found = { open, close: i + 1, spans };
      i = skipSpace(text, i + 1);
    } else {
      if (name.includes('\\')) return undefined; // an escaped key might spell `key`: let JSON.parse decide
      const end = skipValue(text, i);
      if (end < 0) return undefined;
      i = skipSpace(text, end);
    }
    const next = text.charCodeAt(i);
    if (next === CLOSE_BRACE) break;
    if (next !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
  if (!found) return undefined;
  return { envelopeText: `${text.slice(0, found.open)}[]${text.slice(found.close)}`, spans: found.spans };
}
