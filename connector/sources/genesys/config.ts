/**
 * Genesys Cloud source config. Defaults sit beside their
 * fields; the hosts come from the region unless base_url / login_url override them (the simulator).
 */
import { z } from 'zod';
import { piiFields, refinePii, utcDay as day } from '../config-fields.js';

/** Genesys Cloud regions (sources.md §2): login.{region} issues tokens, api.{region} serves the API. */
export const GENESYS_REGIONS = [
  'mypurecloud.com',
  'mypurecloud.ie',
  'mypurecloud.com.au',
  'mypurecloud.jp',
  'mypurecloud.de',
  'usw2.pure.cloud',
  'cac1.pure.cloud',
  'apne2.pure.cloud',
  'euw2.pure.cloud',
  'aps1.pure.cloud',
  'use2.us-gov-pure.cloud',
  'sae1.pure.cloud',
  'mec1.pure.cloud',
  'apne3.pure.cloud',
  'euc2.pure.cloud',
  'mxc1.pure.cloud',
  'apse1.pure.cloud',
] as const;


export const GenesysConfig = z
  .object({
    vendor: z.literal('genesys', { error: 'must be "genesys" for this source' }),
    region: z
      .enum(GENESYS_REGIONS, { error: `must be one of the Genesys Cloud regions: ${GENESYS_REGIONS.join(', ')}` })
      .default('mypurecloud.com')
      .meta({ title: 'Region', description: 'The domain of your Genesys Cloud org, e.g. mypurecloud.ie for EU (Ireland).' }),
    client_id: z
      .string({ error: 'required: the OAuth client id (Admin → Integrations → OAuth, grant type Client Credentials)' })
      .min(1, { error: 'must not be empty' })
      .meta({ title: 'OAuth client ID' }),
    client_secret: z
      .string({ error: 'required: the OAuth client secret' })
      .min(1, { error: 'must not be empty' })
      .meta({ title: 'OAuth client secret', airbyte_secret: true }),
    start_date: day.meta({ title: 'Start date', description: 'First UTC day of conversations to load on the first sync.', examples: ['2026-11-01'] }),
    interval_days: z
      .number({ error: 'expected a whole number of days' })
      .int({ error: 'expected a whole number of days' })
      .min(1, { error: 'must be 1 or more' })
      .max(31, { error: 'must be 31 or less' })
      .default(1)
      .meta({ title: 'Days per job', description: 'Each Conversation Detail job covers this many days; the stream checkpoints after each.' }),
    max_jobs_in_flight: z
      .number()
      .int()
      .min(1, { error: 'must be 1 or more' })
      .max(5, { error: 'must be 5 or less (Genesys limits concurrent detail jobs)' })
      .default(2)
      .meta({ title: 'Jobs in flight', description: 'Detail jobs on the Genesys side at once: the one whose results are read and the ones submitted and polled ahead.' }),
    page_size: z
      .number()
      .int()
      .min(1, { error: 'must be 1 or more' })
      .max(10_000, { error: 'must be 10000 or less (the API maximum)' })
      .default(1000)
      .meta({ title: 'Results page size' }),
    max_requests_per_minute: z
      .number()
      .int()
      .min(1, { error: 'must be 1 or more' })
      .max(6000, { error: 'must be 6000 or less' })
      .default(240)
      .meta({ title: 'Requests per minute', description: 'Pace of API requests. Genesys allows ~300 per minute per OAuth client by default; 429s are waited out either way.' }),
    job_poll_seconds: z
      .number()
      .min(0.01, { error: 'must be 0.01 or more' })
      .max(60, { error: 'must be 60 or less' })
      .default(1)
      .meta({ title: 'First poll after (seconds)', description: 'A job is polled this long after submission, then at 1.5× longer waits up to 30 s.' }),
    job_wait_seconds: z
      .number()
      .int()
      .min(0, { error: 'must be 0 or more' })
      .optional()
      .meta({
        title: 'Wait for jobs per sync (seconds)',
        description:
          'Default: wait until every job is done. Set it to keep a scheduled sync short: after this long spent waiting for jobs, the sync checkpoints the jobs still pending (the state keeps their ids) and ends successfully; the next sync polls them instead of submitting them again.',
      }),
    lookback_hours: z
      .number({ error: 'expected a whole number of hours' })
      .int({ error: 'expected a whole number of hours' })
      .min(0, { error: 'must be 0 or more' })
      .max(720, { error: 'must be 720 or less (30 days)' })
      .default(24)
      .meta({
        title: 'Lookback (hours)',
        description:
          'Every sync reads the last this-many hours before the watermark again, so conversations that ended recently and whose details changed since (wrap-up codes, surveys, evaluations added after the data lake first served them) are replaced. 0 = never re-read.',
      }),
    base_url: z.url({ error: 'must be an http(s) URL' }).optional().meta({ title: 'API base URL override', description: 'Default https://api.{region}; point it at `parley simulate genesys` for a local test.' }),
    login_url: z.url({ error: 'must be an http(s) URL' }).optional().meta({ title: 'Login base URL override', description: 'Default https://login.{region}.' }),
    ...piiFields('Personal fields of participants (participantName of people, externalContactId, attributes) and sessions (ani, dnis, sessionDnis)'),
  })
  .strict()
  .superRefine(refinePii);

export type GenesysConfig = z.infer<typeof GenesysConfig>;

/** The API and token endpoints a config points at. */
export function genesysEndpoints(config: GenesysConfig): { apiBase: string; tokenUrl: string } {
  const apiBase = (config.base_url ?? `https://api.${config.region}`).replace(/\/+$/, '');
  const loginBase = (config.login_url ?? `https://login.${config.region}`).replace(/\/+$/, '');
  return { apiBase, tokenUrl: `${loginBase}/oauth/token` };
}
