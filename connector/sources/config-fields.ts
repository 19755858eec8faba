/** Config field schemas shared by the vendors' configs. */
import { z } from 'zod';

/** A UTC calendar day as YYYY-MM-DD. */
export const utcDay = z
  .string({ error: 'expected a date string like "2026-11-01"' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'use YYYY-MM-DD, e.g. "2026-11-01"' });
