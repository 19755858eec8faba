/**
 * Personal data (phone numbers, names) as the user chose to keep it, one rule for every vendor:
 *
 * - `drop` (the default): never stored — the value becomes NULL before a record, its JSON or a
 *   quarantine row is made;
 * - `hash`: `hmac:<hex>`, HMAC-SHA256 under the user's `pii_key`: the same person gets the same value
 *   in every sync (joins and distinct counts work), and whoever reads the warehouse cannot reverse
 *   it by hashing candidate phone numbers, as they could a plain SHA-256;
 * - `raw`: as delivered, only when the user asks for it.
 */
import crypto from 'node:crypto';

export type PiiMode = 'drop' | 'hash' | 'raw';

export interface PiiPolicy {
  mode: PiiMode;
  /** Required for `hash`. */
  key?: string;
}

export const HMAC_PREFIX = 'hmac:';

/** A personal value as the policy keeps it: null (dropped, or empty), `hmac:<hex>`, or as is. */
export function keepPersonal(value: string | null | undefined, policy: PiiPolicy): string | null {
  if (value === null || value === undefined || value === '') return null;
  switch (policy.mode) {
    case 'drop':
      return null;
    case 'raw':
      return value;
    case 'hash':
      if (!policy.key) throw new Error('pii "hash" needs a key');
      return HMAC_PREFIX + crypto.createHmac('sha256', policy.key).update(value, 'utf8').digest('hex');
  }
}

/** Any JSON value as the policy keeps it: a string as `keepPersonal` says, other JSON (numbers, objects) by its text. */
export function keepPersonalValue(value: unknown, policy: PiiPolicy): string | null {
  if (value === undefined || value === null) return null;
  return keepPersonal(typeof value === 'string' ? value : JSON.stringify(value), policy);
}
