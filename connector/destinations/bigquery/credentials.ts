/**
 * `destination.credentials_json`, checked when the config is read (before any source request): it is
 * the service-account key's JSON text. Each problem is worded with its fix — a file path pasted
 * instead of the file's contents, text that is not JSON, JSON that is not a service-account key — and
 * never quotes the secret.
 */
import fs from 'node:fs';

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
}

export const CREDENTIALS_FIELD = 'destination.credentials_json';

/** What is wrong with `text` as a service-account key, or undefined when it is one. */
export function serviceAccountKeyProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'must not be empty: paste the service-account key (the JSON text), or leave the field out to use Application Default Credentials';
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    if (!trimmed.startsWith('{') && /^[^\n{}]+$/.test(trimmed) && /[/\\]|\.json$/i.test(trimmed)) {
      const missing = !fs.existsSync(trimmed);
      return `this field takes the key's JSON text, not a file path${missing ? ` (and there is no file "${trimmed}")` : ''}: paste the contents of the service-account key file`;
    }
    return 'not valid JSON: paste the whole service-account key file (it starts with {"type": "service_account", …})';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a service-account key: paste the whole key file, a JSON object ({"type": "service_account", …})';
  const key = value as Record<string, unknown>;
  if (key.type !== undefined && key.type !== 'service_account') {
    return `a "${String(key.type)}" credential, not a service-account key: create a JSON key for a service account (IAM → Service accounts → Keys), or leave the field out to use Application Default Credentials`;
  }
  const absent = ['client_email', 'private_key'].filter((name) => typeof key[name] !== 'string' || key[name] === '');
  if (absent.length > 0) return `a service-account key needs ${absent.join(' and ')}; create a JSON key for the service account in the Cloud console and paste the whole file`;
  if (!String(key.private_key).includes('PRIVATE KEY')) return 'its private_key is not a PEM private key ("-----BEGIN PRIVATE KEY-----…"): paste the key file unchanged';
  return undefined;
}

/** The key's two fields the client needs (call after `serviceAccountKeyProblem` returned nothing). */
export function parseServiceAccountKey(text: string): ServiceAccountKey {
  const key = JSON.parse(text.trim()) as ServiceAccountKey;
  return { client_email: key.client_email, private_key: key.private_key };
}
