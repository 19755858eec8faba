/**
 * Splits a byte stream of JSON records into one text per record, whether the file is newline-
 * delimited JSON or a single JSON array, without holding the file in memory. Newline-delimited input
 * is split on the bytes (native indexOf, one UTF-8 decode per line: the hot path of a sync); array
 * elements are found by a small scanner that tracks string/escape state and nesting depth.
 *
 * Records come out in batches, one per network chunk: an async generator step costs a promise and a
 * microtask, which per record measured more than the parsing itself.
 */
export async function* recordTextBatches(source: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  for await (const batch of batchesOf(source)) if (batch.length > 0) yield batch;
}

/** One record at a time (tests and small callers). */
export async function* recordTexts(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  for await (const batch of recordTextBatches(source)) yield* batch;
}

async function* batchesOf(source: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  let mode: 'unknown' | 'lines' | 'array' = 'unknown';
  let carry: Buffer | undefined;
  const array = new ArrayScanner();
  const decoder = new TextDecoder('utf-8');
  for await (const input of source) {
    let chunk = typeof input === 'string' ? Buffer.from(input) : input;
    if (mode === 'unknown') {
      if (carry) chunk = Buffer.concat([carry, chunk]);
      carry = undefined;
      let first = 0;
      while (first < chunk.length && isSpace(chunk[first]!)) first++;
      if (first === chunk.length) {
        carry = chunk;
        continue;
      }
      mode = chunk[first] === 0x5b /* [ */ ? 'array' : 'lines';
      if (mode === 'array') chunk = chunk.subarray(first + 1);
    }
    if (mode === 'array') {
      yield [...array.push(decoder.decode(chunk, { stream: true }))];
      continue;
    }
    const batch: string[] = [];
    let start = 0;
    let newline = chunk.indexOf(0x0a);
    if (newline !== -1 && carry) {
      // The line that straddles two chunks: join only that piece.
      const line = trimmed(Buffer.concat([carry, chunk.subarray(0, newline)]), 0);
      carry = undefined;
      if (line) batch.push(line);
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    for (; newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const line = trimmed(chunk, start, newline);
      if (line) batch.push(line);
      start = newline + 1;
    }
    if (start < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
    yield batch;
  }
  if (mode === 'array') {
    yield [...array.push(decoder.decode()), ...array.finish()];
  } else if (carry) {
    const line = trimmed(carry, 0);
    if (line) yield [line];
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** The text of bytes [start, end) without surrounding whitespace ('' when blank). */
function trimmed(buffer: Buffer, start: number, end = buffer.length): string {
  while (start < end && isSpace(buffer[start]!)) start++;
  while (end > start && isSpace(buffer[end - 1]!)) end--;
  return start === end ? '' : buffer.toString('utf8', start, end);
}

class ArrayScanner {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private elementStart = -1;
  private scanned = 0;
  private closed = false;

  *push(text: string): Generator<string> {
    this.buffer += text;
    const b = this.buffer;
    let i = this.scanned;
    while (i < b.length) {
      if (this.inString) {
        // Jump to the next quote natively; it ends the string unless escaped by an odd run of backslashes.
        const quote = b.indexOf('"', i);
        if (quote === -1) {
          i = b.length;
          break;
        }
        let slashes = 0;
        for (let k = quote - 1; k >= i && b.charCodeAt(k) === 92 /* \ */; k--) slashes++;
        // Backslashes at the very start of this scan may continue a run from before: count them too.
        if (slashes === quote - i && this.escaped) slashes++;
        this.escaped = false;
        i = quote + 1;
        if (slashes % 2 === 0) this.inString = false;
        continue;
      }
      const c = b.charCodeAt(i);
      if (this.closed) {
        i++;
        continue;
      }
      if (c === 34 /* " */) {
        this.inString = true;
        if (this.elementStart === -1) this.elementStart = i;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.elementStart === -1) this.elementStart = i;
        this.depth++;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        if (this.depth === 0 && c === 93) {
          yield* this.emit(i);
          this.closed = true;
        } else this.depth--;
      } else if (c === 44 /* , */ && this.depth === 0) {
        yield* this.emit(i);
      } else if (this.elementStart === -1 && c > 32) {
        this.elementStart = i; // a bare scalar element: quarantined later as "not an object"
      }
      i++;
    }
    // A string still open at the end of the text: remember whether it ended on an unpaired backslash.
    if (this.inString) {
      let slashes = 0;
      for (let k = b.length - 1; k >= 0 && b.charCodeAt(k) === 92; k--) slashes++;
      this.escaped = slashes % 2 === 1;
    }
    // Keep only the unfinished element to bound memory.
    const keepFrom = this.elementStart === -1 ? b.length : this.elementStart;
    this.buffer = b.slice(keepFrom);
    this.scanned = this.buffer.length;
    if (this.elementStart !== -1) this.elementStart = 0;
  }

  private *emit(end: number): Generator<string> {
    if (this.elementStart !== -1) {
      const element = this.buffer.slice(this.elementStart, end).trim();
      if (element) yield element;
    }
    this.elementStart = -1;
  }

  *finish(): Generator<string> {
    // An array cut short (no closing bracket): hand back what is left so it is quarantined, not lost.
    if (!this.closed && this.elementStart !== -1) {
      const rest = this.buffer.slice(this.elementStart).trim();
      if (rest) yield rest;
    }
  }
}
