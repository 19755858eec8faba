/**
 * Ultimate source config. Every default is declared here, next to its field. `spec.json` is generated
 * from this schema (`parley spec --write spec.json`) and a test fails when the two drift.
 */
import { z } from 'zod';
import { piiFields, refinePii, utcDay as day } from '../config-fields.js';


export const UltimateConfig = z
  .object({
    vendor: z.literal('ultimate', { error: 'must be "ultimate" for this source' }),
    base_url: z
      .url({ error: 'must be an http(s) URL, e.g. "https://api.ultimate.ai"' })
      .default('https://api.ultimate.ai')
      .meta({
        title: 'API base URL',
        description:
          'EU: https://api.ultimate.ai (default). US: https://api.us.ultimate.ai. Zendesk-hosted: https://{subdomain}.zendesk.com/ai-agents/api. Point it at `parley simulate ultimate` for a local test.',
      }),
    api_key: z
      .string({ error: 'required: the organisation API key (User Management → Organization Management → API Key)' })
      .min(1, { error: 'must not be empty' })
      .meta({ title: 'API key', description: 'Sent as the bare `authorization` header (no "Bearer").', airbyte_secret: true }),
    organization_id: z
      .string({ error: 'required: your Ultimate organisation id' })
      .min(1, { error: 'must not be empty' })
      .meta({ title: 'Organization ID' }),
    bot_ids: z
      .array(z.string().min(1, { error: 'a bot id must not be empty' }), { error: 'required: a list of bot ids, e.g. ["5f1c…"]' })
      .min(1, { error: 'list at least one bot id' })
      .meta({ title: 'Bot IDs', description: 'The Data Export API serves one bot per request; every bot listed is synced.' }),
    start_date: day.meta({
      title: 'Start date',
      description: 'First export day (UTC) to load on the first sync. The API serves only about the last 30 days.',
      examples: ['2026-11-01'],
    }),
    end_date: day.optional().meta({
      title: 'End date',
      description: 'Last export day (UTC, inclusive) to load. Default: yesterday, the newest export the API builds.',
    }),
    lookback_days: z
      .number({ error: 'expected a whole number of days' })
      .int({ error: 'expected a whole number of days' })
      .min(0, { error: 'must be 0 or more' })
      .max(30, { error: 'must be 30 or less' })
      .default(3)
      .meta({
        title: 'Lookback days',
        description: 'Already-loaded export days re-read on every sync: exports have been seen to grow after they first appear. Upserts keep this duplicate-free.',
      }),
    not_ready_grace_days: z
      .number({ error: 'expected a whole number of days' })
      .int({ error: 'expected a whole number of days' })
      .min(0, { error: 'must be 0 or more' })
      .max(29, { error: 'must be 29 or less (the API serves about 30 days)' })
      .default(2)
      .meta({
        title: 'Grace for an export day not ready (days)',
        description:
          'An export day the API still does not serve (404 or no files) this many days after it ended is recorded as missing (ultimate_export_days.status = missing; is_complete stays false around it) and the sync moves past it with a warning. Until then the bot waits at that day.',
      }),
    history_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(30)
      .meta({ title: 'History served (days)', description: 'How far back the API serves exports on demand (about 30 days for Ultimate).' }),
    api_version: z.enum(['v3', 'v2']).default('v3').meta({ title: 'Data Export API version' }),
    url_ttl_minutes: z.number().int().min(1).max(10080).optional().meta({
      title: 'Signed URL lifetime (minutes)',
      description: 'Asked of the API with each URL request; the vendor default applies when omitted.',
    }),
    max_requests_per_second: z.number().positive().max(100).default(5).meta({
      title: 'Max requests per second',
      description: 'Upper bound on API and download requests started per second.',
    }),
    pii_fields: z
      .array(
        z
          .string({ error: 'expected a path as a string, e.g. "email" or "customer.phone"' })
          .regex(/^[^.]+(\.[^.]+)*$/, { error: 'use keys joined by dots, e.g. "email" or "customer.phone" (no empty keys)' }),
        { error: 'expected a list of paths inside conversations_data, e.g. ["email", "customer.phone"]' },
      )
      .default([])
      .meta({
        title: 'Personal fields of conversations_data',
        description:
          'Paths inside conversations_data that hold personal data (e.g. ["email", "name", "customer.phone"]; keys in any case, a list on the way applies to each element). Their values follow pii; nothing else in conversations_data is touched.',
      }),
    ...piiFields('The values at pii_fields in conversations_data'),
  })
  .strict()
  .superRefine((config, ctx) => {
    refinePii(config, ctx);
    if (config.end_date !== undefined && config.end_date < config.start_date) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: `must be on or after start_date (${config.start_date})` });
    }
  });

export type UltimateConfig = z.infer<typeof UltimateConfig>;
