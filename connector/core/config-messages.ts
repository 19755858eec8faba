/**
 * The message of a config problem that its schema did not word itself: zod's defaults ("Invalid
 * input: expected int, received number", "Too small: expected number to be >=1") say what the
 * parser wanted, not what the user should write. Every field's own message (declared beside it in
 * the vendor's config.ts) wins over these; these cover the fields that declare none, so that every
 * config error names the field (the path, added by config-file.ts) and the fix.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const EXAMPLES: Record<string, string> = {
  number: 'a number, e.g. 5',
  int: 'a whole number, e.g. 5',
  string: 'a string in double quotes',
  boolean: 'true or false',
  array: 'a list, e.g. ["…"]',
  object: 'an object, e.g. {"…": …}',
};

function kind(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'string') return `the string ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  if (typeof input === 'number') return `the number ${input}`;
  if (typeof input === 'object') return 'an object';
  return String(typeof input);
}

/** A message naming the fix for one of zod's default issues, or undefined to keep zod's. */
export function configIssueMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const wanted = EXAMPLES[String(issue.expected)] ?? `a ${String(issue.expected)}`;
      if (issue.input === undefined) return `required: add it (${wanted})`;
      return `expected ${wanted}, not ${kind(issue.input)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string' || issue.origin === 'array') return min <= 1 ? 'must not be empty' : `needs at least ${min} ${issue.origin === 'string' ? 'characters' : 'items'}`;
      return issue.inclusive === false ? `must be more than ${min}` : `must be ${min} or more`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string' || issue.origin === 'array') return `must have at most ${max} ${issue.origin === 'string' ? 'characters' : 'items'}`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be ${max} or less`;
    }
    case 'invalid_value':
      return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be an http(s) URL, e.g. "https://…"' : `not a valid ${issue.format}: fix its format`;
    default:
      return undefined;
  }
}

/** The lines of an `unrecognized_keys` issue: one per unknown field, each under its own path. */
export function unknownFieldLines(path: string, keys: readonly string[], known: readonly string[] | undefined): string[] {
  return keys.map((key) => {
    const near = known ? closest(key, known) : undefined;
    return `  - ${path ? `${path}.` : ''}${key}: unknown field; ${near ? `did you mean "${near}"? ` : ''}remove it or fix its name${known ? ` (fields: ${known.join(', ')})` : ''}`;
  });
}

function closest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
