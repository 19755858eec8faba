/**
 * The `sync` / `run` / `transform` config: `{ "source": <spec.json config>, "destination": {...} }`.
 * The source part is validated by the vendor's own schema (sources/registry.ts).
 */
import { z } from 'zod';
import { readJsonFile, validate } from '../core/config-file.js';
import { ConfigError } from '../core/errors.js';
import { serviceAccountKeyProblem } from '../destinations/bigquery/credentials.js';
import { registerSyncConfigSecrets } from './config-secrets.js';

export const DEFAULT_DUCKDB_PATH = './data/parley.duckdb';

export const DuckDbDestinationSchema = z
  .object({
    type: z.literal('duckdb'),
    path: z.string().min(1, { error: 'must not be empty' }).default(DEFAULT_DUCKDB_PATH).meta({ description: 'Database file; created with its folder when missing.' }),
    memory_limit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, { error: 'use a size like "160MB" or "1GB"' }).optional(),
    threads: z.number().int().min(1).max(64).optional(),
  })
  .strict();

export const BigQueryDestinationSchema = z
  .object({
    type: z.literal('bigquery'),
    project_id: z.string({ error: 'required: the Google Cloud project that owns the dataset' }).regex(/^[a-z][a-z0-9-]{4,61}[a-z0-9]$|^[\w.:-]+$/, { error: 'not a project id: use the project ID, e.g. "my-project-123" (Cloud console → project picker), not its display name' }),
    dataset: z.string({ error: 'required: the dataset for the raw tables and marts, e.g. "parley"' }).regex(/^\w{1,1024}$/, { error: 'letters, digits and underscores only' }),
    location: z.string().min(1).default('US').meta({ description: 'Dataset location, e.g. US, EU, europe-west1. Jobs run there.' }),
    credentials_json: z
      .string({ error: 'expected the service-account key as a string (its JSON text, escaped)' })
      .superRefine((text, ctx) => {
        const problem = serviceAccountKeyProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .meta({ description: 'A service-account key (the JSON text). Without it, Application Default Credentials are used.', airbyte_secret: true }),
    api_endpoint: z.url({ error: 'must be an http(s) URL' }).optional().meta({ description: 'Another BigQuery API host, e.g. the local emulator http://127.0.0.1:9050.' }),
    commit_seconds: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta({ description: 'Commit at the first STATE this many seconds after the last commit (default 30). Lower: rows visible sooner, one load job per table and one query job per commit.' }),
  })
  .strict();

const DestinationSchema = z.discriminatedUnion('type', [DuckDbDestinationSchema, BigQueryDestinationSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'unknown "type": use "duckdb" or "bigquery"' : undefined),
});

export const SyncConfigSchema = z
  .object({
    source: z.record(z.string(), z.unknown(), { error: 'required: the source config object (see spec.json)' }),
    destination: DestinationSchema.default({ type: 'duckdb', path: DEFAULT_DUCKDB_PATH }),
  })
  .strict();

export type SyncConfig = z.infer<typeof SyncConfigSchema>;
export type DestinationConfig = SyncConfig['destination'];

export function loadSyncConfig(file: string): SyncConfig {
  const value = readJsonFile(file, 'sync config');
  registerSyncConfigSecrets(value);
  if (value && typeof value === 'object' && !Array.isArray(value) && 'vendor' in value && !('source' in value)) {
    throw new ConfigError(
      `${file} looks like a bare source config (it has "vendor"). sync/run/transform take {"source": {...}, "destination": {"type": "duckdb", "path": "${DEFAULT_DUCKDB_PATH}"}}.`,
    );
  }
  return validate(SyncConfigSchema, value, `sync config ${file}`);
}
