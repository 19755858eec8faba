/**
 * Splits a byte stream of JSON records into one text per record, whether the file is newline-
 * delimited JSON or a single JSON array, without holding the file in memory. Array elements are
 * found by a small scanner that tracks string/escape state and nesting depth.
 */
export async function* recordTexts(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let mode: 'unknown' | 'lines' | 'array' = 'unknown';
  let pending = '';
  const array = new ArrayScanner();
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (mode === 'unknown') {
      text = pending + text;
      pending = '';
      const first = text.search(/\S/);
      if (first === -1) {
        pending = text;
        continue;
      }
      mode = text[first] === '[' ? 'array' : 'lines';
      if (mode === 'array') text = text.slice(first + 1);
    }
    if (mode === 'lines') {
      pending += text;
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n', start)) {
        const line = pending.slice(start, nl).trim();
        if (line) yield line;
        start = nl + 1;
      }
      pending = pending.slice(start);
    } else {
      yield* array.push(text);
    }
  }
  const tail = decoder.decode();
  if (mode === 'lines' || mode === 'unknown') {
    const line = (pending + tail).trim();
    if (line) yield line;
  } else {
    yield* array.push(tail);
    yield* array.finish();
  }
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
    for (let i = this.scanned; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (this.closed) continue;
      if (c === 34) {
        this.inString = true;
        if (this.elementStart === -1) this.elementStart = i;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.elementStart === -1) this.elementStart = i;
        this.depth++;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        if (this.depth === 0 && c === 93) {
          yield* this.emit(i);
          this.closed = true;
          continue;
        }
        this.depth--;
      } else if (c === 44 /* , */ && this.depth === 0) {
        yield* this.emit(i);
      } else if (this.elementStart === -1 && c > 32) {
        this.elementStart = i; // a bare scalar element: quarantined later as "not an object"
      }
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
