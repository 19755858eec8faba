/**
 * Reading a JSON config file and validating it with zod, with messages that name the field, what is
 * wrong and how to fix it — never a stack trace.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import { configIssueMessage, unknownFieldLines } from './config-messages.js';
import { ConfigError } from './errors.js';

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`Cannot read the ${what} file "${path}" (${code ?? 'error'}). Pass an existing JSON file.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The ${what} file "${path}" is not valid JSON: ${(error as Error).message}`);
  }
}

/** Validates `value`; on failure a ConfigError lists every problem as `path: problem` (the fix included). */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string, prefix = ''): T {
  const result = schema.safeParse(value, { error: (issue) => configIssueMessage(issue) });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') return unknownFieldLines(path, issue.keys, fieldsAt(schema, issue.path, value));
    return [`  - ${path || '(top level)'}: ${issue.message}`];
  });
  throw new ConfigError(`Invalid ${what}:\n${problems.join('\n')}`);
}

interface SchemaNode {
  _zod: { def: { type: string; shape?: Record<string, SchemaNode>; innerType?: SchemaNode; in?: SchemaNode; options?: SchemaNode[] } };
}

/** The field names the schema declares at `path` of `value` (for "did you mean"), if it is an object there. */
function fieldsAt(schema: unknown, path: readonly PropertyKey[], value: unknown): string[] | undefined {
  let node = schema as SchemaNode | undefined;
  let at = value;
  for (let i = 0; node && i <= path.length; ) {
    const def = node._zod.def;
    if (def.innerType) node = def.innerType;
    else if (def.type === 'pipe') node = def.in;
    else if (def.options) node = def.options.find((option) => option._zod.def.shape && Object.entries(option._zod.def.shape).every(([k, f]) => f._zod.def.type !== 'literal' || (f._zod.def as { values?: unknown[] }).values?.includes((at as Record<string, unknown>)?.[k])));
    else if (def.shape) {
      if (i === path.length) return Object.keys(def.shape);
      const key = String(path[i++]);
      node = def.shape[key];
      at = (at as Record<string, unknown> | undefined)?.[key];
    } else return undefined;
  }
  return undefined;
}
