/**
 * Personal data in Ultimate's `conversations_data` (the bot's free-form data: it may hold the
 * visitor's e-mail, name, phone). Only the user knows which keys are personal, so they list them in
 * `pii_fields` as paths inside `conversations_data` ("email", "customer.phone"; keys matched in any
 * case, a list on the way applies the rest of the path to each element). Each value found is kept
 * as `pii` says (core/pii.ts: null, `hmac:<hex>` of its text, or as is).
 *
 * It runs on the exported line before anything else sees it — the normaliser, the `record` JSON and
 * the quarantine all get the scrubbed text — and handles the same quirks as the normaliser:
 * UPPER_CASE keys, `conversation_data`, `conversations_data` as a JSON string (scrubbed inside and
 * kept a string). A `conversations_data` that is text but not JSON cannot be walked: it is kept as
 * `pii` says, whole. A line that is not JSON cannot be walked either: it is replaced by a note (it
 * will be quarantined as not valid JSON) rather than stored with the personal values in it.
 */
import { keepPersonalValue as keep, type PiiPolicy } from '../../core/pii.js';

type Json = Record<string, unknown>;

const DATA_KEYS = new Set(['conversations_data', 'conversation_data']);
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** "customer.phone" → ["customer", "phone"], lower-cased (keys match in any case). */
export function parsePiiPath(path: string): string[] {
  return path.split('.').map((segment) => segment.trim().toLowerCase());
}

/** Applies `pii` at `path` under `node` in place; true when a value was found. */
function applyPath(node: unknown, path: readonly string[], pii: PiiPolicy): boolean {
  if (Array.isArray(node)) return node.map((item) => applyPath(item, path, pii)).some(Boolean);
  if (!isObject(node) || path.length === 0) return false;
  const [head, ...rest] = path;
  let found = false;
  for (const key of Object.keys(node)) {
    if (key.toLowerCase() !== head) continue;
    if (rest.length === 0) {
      node[key] = keep(node[key], pii);
      found = true;
    } else if (applyPath(node[key], rest, pii)) found = true;
  }
  return found;
}

function scrubData(data: unknown, paths: readonly string[][], pii: PiiPolicy): { value: unknown; changed: boolean } {
  if (typeof data === 'string') {
    const text = data.trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        const changed = paths.map((path) => applyPath(parsed, path, pii)).some(Boolean);
        return { value: changed ? JSON.stringify(parsed) : data, changed };
      } catch {
        // not JSON: kept whole as pii says, below
      }
    }
    return data === '' ? { value: data, changed: false } : { value: keep(data, pii), changed: true };
  }
  const changed = paths.map((path) => applyPath(data, path, pii)).some(Boolean);
  return { value: data, changed };
}

/** The exported line with the `pii_fields` of its conversations_data kept as `pii` says. */
export function scrubConversationText(text: string, paths: readonly string[][], pii: PiiPolicy): string {
  if (paths.length === 0 || pii.mode === 'raw') return text;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return `[withheld (pii "${pii.mode}"): not valid JSON, so its pii_fields could not be found and removed; ${text.length} characters]`;
  }
  if (!isObject(record)) return text;
  let changed = false;
  for (const key of Object.keys(record)) {
    if (!DATA_KEYS.has(key.toLowerCase())) continue;
    const scrubbed = scrubData(record[key], paths, pii);
    record[key] = scrubbed.value;
    changed ||= scrubbed.changed;
  }
  return changed ? JSON.stringify(record) : text;
}
