/**
 * Every secret a sync config holds, registered with the redactor as soon as the file is read and
 * before anything validates it: the source's (its vendor says which fields) and the destination's
 * BigQuery key. `transform` never builds a source or a BigQuery client, yet dbt reads the same key,
 * so the registration cannot wait for them.
 */
import { registerSecret } from '../core/redact.js';
import { registerSourceSecrets } from '../sources/registry.js';

export function registerSyncConfigSecrets(value: unknown): void {
  if (!isObject(value)) return;
  if (isObject(value.source)) registerSourceSecrets(value.source);
  if (isObject(value.destination)) registerKeyFileSecrets(value.destination.credentials_json);
}

/** A service-account key: the whole text, and its private key (what a parser would print on its own). */
export function registerKeyFileSecrets(credentials: unknown): void {
  if (typeof credentials !== 'string') return;
  registerSecret(credentials);
  try {
    const key = JSON.parse(credentials) as unknown;
    if (isObject(key)) for (const field of ['private_key', 'private_key_id']) registerSecret(typeof key[field] === 'string' ? key[field] : undefined);
  } catch {
    // not JSON: the whole text is registered, and the destination reports the mistake
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
