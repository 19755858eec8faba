/** Config field schemas shared by the vendors' configs. */
import { z } from 'zod';
import type { PiiPolicy } from '../core/pii.js';

/** A UTC calendar day as YYYY-MM-DD. */
export const utcDay = z
  .string({ error: 'expected a date string like "2026-11-01"' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'use YYYY-MM-DD, e.g. "2026-11-01"' });

/** How personal data is kept (connector/core/pii.ts): declared once, so every vendor spells it alike. */
export const PII_MODES = ['drop', 'hash', 'raw'] as const;

/**
 * The `pii` and `pii_key` fields, with what `pii` covers for the vendor (`covers`, e.g. "Phone
 * numbers (Decrypted / Encrypted Device ID)"). Spread them into the vendor's object and call
 * `refinePii` in its superRefine: a `hash` without key, or a key without `hash`, is refused.
 */
export function piiFields(covers: string) {
  return {
    pii: z
      .enum(PII_MODES, { error: 'use "drop" (default), "hash" (with pii_key) or "raw"' })
      .default('drop')
      .meta({
        title: 'Personal data',
        description: `${covers}: "drop" stores none, "hash" stores HMAC-SHA256 values (pii_key) that join across syncs, "raw" stores them as delivered.`,
      }),
    pii_key: z
      .string({ error: 'expected the key as a string' })
      .min(1, { error: 'must not be empty' })
      .optional()
      .meta({ title: 'Hash key', description: 'Required with pii "hash": the HMAC key (keep it: another key gives other values).', airbyte_secret: true }),
  };
}

interface PiiOptions {
  pii: (typeof PII_MODES)[number];
  pii_key?: string | undefined;
}

/** The cross-field rule of `pii` / `pii_key`, for a vendor's superRefine. */
export function refinePii(config: PiiOptions, ctx: z.RefinementCtx): void {
  if (config.pii === 'hash' && config.pii_key === undefined) {
    ctx.addIssue({ code: 'custom', path: ['pii_key'], message: 'required with pii "hash": a secret key for HMAC-SHA256 (or use pii "drop")' });
  }
  if (config.pii !== 'hash' && config.pii_key !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['pii_key'], message: `only used with pii "hash" (pii is "${config.pii}"): remove it or set pii to "hash"` });
  }
}

/** The policy core/pii.ts applies, from a vendor config's `pii` / `pii_key`. */
export function piiPolicy(config: PiiOptions): PiiPolicy {
  return { mode: config.pii, ...(config.pii_key !== undefined ? { key: config.pii_key } : {}) };
}
