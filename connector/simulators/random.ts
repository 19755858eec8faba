// Seeded randomness for simulators. Generated data must be identical on every run and machine
// (tests compute expected results from it), so nothing here touches Math.random or the clock.

/** murmur3's 32-bit finaliser: a bijection that spreads nearby inputs (i, i+1) far apart. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit FNV-1a of a string (salted, so one key can give several independent hashes), mixed. */
export function hashString(s: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** `n` as exactly `width` lower-case hex digits (high digits dropped, zeros padded). */
export function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(8, '0').slice(8 - width);
}

/** mulberry32: tiny, fast, good enough for test data; one instance per independent stream. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by relative weight from `[value, weight]` pairs. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return (table[table.length - 1] as readonly [T, number])[0];
  }
}

/** A UUID-shaped id (version 4 layout) from a key: deterministic, not random. */
export function uuidFrom(key: string): string {
  const a = hashString(key, 0x51);
  const b = hashString(key, 0x52);
  const c = hashString(key, 0x53);
  const d = hashString(key, 0x54);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-${'89ab'[c & 3]}${hex(c >>> 2, 3)}-${hex(c >>> 14, 4)}${hex(d, 8)}`;
}
