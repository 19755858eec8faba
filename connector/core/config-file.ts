/**
 * Reading a JSON config file and validating it with zod, with messages that name the field, what is
 * wrong and how to fix it — never a stack trace.
 */
import fs from 'node:fs';
import type { z } from 'zod';
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

/** Validates `value`; on failure a ConfigError lists every problem as `path: problem`. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string, prefix = ''): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `  - ${path || '(top level)'}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid ${what}:\n${problems.join('\n')}`);
}
