/**
 * Kore.ai source config. Every default sits beside its field; `spec.json` is generated from this
 * schema (`npm run generate`) and a test fails when the two drift. Credentials: the app's client id
 * and client secret (Parley mints a short-lived JWT per hour), or a ready `jwt`.
 */
import { z } from 'zod';
import { piiFields, refinePii, utcDay as day } from '../config-fields.js';

/**
 * Channel ids getAnalytics is asked for. Its `filters.channel` defaults to `rtm` (web / mobile SDK)
 * alone, which silently drops voice, MS Teams, WhatsApp, … so Parley always lists channels: these,
 * plus every channel the sessions of the same sync were seen on.
 */
export const KORE_CHANNELS = [
  'rtm',
  'msteams',
  'whatsapp',
  'korevg',
  'ivr',
  'ivrVoice',
  'audiocodes',
  'twilio',
  'sms',
  'slack',
  'facebook',
  'telegram',
  'line',
  'email',
  'spark',
  'ringcentral',
  'alexa',
  'googleactions',
  'hangoutchat',
  'mattermost',
  'wechat',
  'zendesk',
  'liveperson',
  'genesys',
  'smartassist',
  'unblu',
  'webhook',
] as const;

const wholeNumber = { error: 'expected a whole number' };

export const KoreConfig = z
  .object({
    vendor: z.literal('kore', { error: 'must be "kore" for this source' }),
    base_url: z
      .url({ error: 'must be an http(s) URL, e.g. "https://bots.kore.ai"' })
      .default('https://bots.kore.ai')
      .meta({
        title: 'Kore.ai host',
        description: 'https://bots.kore.ai (default), a regional host (e.g. https://jp-bots.kore.ai) or your on-prem host. Point it at `parley simulate kore` for a local test.',
      }),
    client_id: z
      .string({ error: 'required: the client id of your Kore.ai app (Bot Builder → API Scopes / Admin Console → API Scopes), "cs-…"' })
      .min(1, { error: 'must not be empty' })
      .meta({ title: 'Client ID', description: "The app's client id: the JWT's appId. With `jwt`, it still names this Kore account in the warehouse." }),
    client_secret: z
      .string({ error: 'expected the client secret as a string' })
      .min(1, { error: 'must not be empty' })
      .optional()
      .meta({ title: 'Client secret', description: 'Parley signs a JWT (HS256, 1 hour) with it, and signs a new one before it expires. Give this or `jwt`.', airbyte_secret: true }),
    jwt: z
      .string({ error: 'expected the token as a string' })
      .min(1, { error: 'must not be empty' })
      .optional()
      .meta({ title: 'JWT', description: 'A ready token, sent as is (no minting: the sync fails once it expires). Give this or `client_secret`.', airbyte_secret: true }),
    bot_ids: z
      .array(z.string().min(1, { error: 'a bot id must not be empty' }), { error: 'required: a list of bot ids, e.g. ["st-…"]' })
      .min(1, { error: 'list at least one bot id' })
      .meta({ title: 'Bot IDs', description: 'Bots to sync (st-…; Bot Builder → Settings → Config Settings → General Settings). Each has its own cursor and its own rate budget.' }),
    start_date: day.meta({ title: 'Start date', description: 'First UTC day of sessions to load on the first sync.', examples: ['2026-11-01'] }),
    end_date: day.optional().meta({ title: 'End date', description: 'Last UTC day (inclusive) to load. Default: up to now.' }),
    window_hours: z
      .number(wholeNumber)
      .int(wholeNumber)
      .min(1, { error: 'must be 1 or more' })
      .max(167, { error: 'must be under 168: the API refuses windows of 7 days or more' })
      .default(24)
      .meta({ title: 'Window (hours)', description: 'Sessions and intents are read in windows this long on the start_date grid; the cursor moves after each closed window.' }),
    lookback_hours: z
      .number(wholeNumber)
      .int(wholeNumber)
      .min(0, { error: 'must be 0 or more' })
      .max(720, { error: 'must be 720 or less' })
      .default(48)
      .meta({
        title: 'Lookback (hours)',
        description: 'Already-read windows are read again for this long, so sessions that were still active are replaced once closed. A window read this long after its end is final (is_complete).',
      }),
    max_requests_per_minute: z
      .number(wholeNumber)
      .int(wholeNumber)
      .min(1, { error: 'must be 1 or more' })
      .max(60, { error: 'must be 60 or less: Kore allows 60 requests a minute per bot' })
      .default(50)
      .meta({ title: 'Requests per minute, per bot', description: 'Rolling; sessions and intents share it. The default leaves room for other tools.' }),
    max_requests_per_hour: z
      .number(wholeNumber)
      .int(wholeNumber)
      .min(1, { error: 'must be 1 or more' })
      .max(1800, { error: 'must be 1800 or less: Kore allows 1,800 requests an hour per bot' })
      .default(1500)
      .meta({ title: 'Requests per hour, per bot', description: 'Rolling; sessions and intents share it.' }),
    page_size: z
      .number(wholeNumber)
      .int(wholeNumber)
      .min(1, { error: 'must be 1 or more' })
      .max(1000, { error: 'must be 1000 or less' })
      .default(100)
      .meta({ title: 'Page size', description: 'limit asked per page (the server may send fewer; paging advances by what arrived).' }),
    channels: z
      .array(z.string().min(1, { error: 'a channel id must not be empty' }))
      .min(1, { error: 'list at least one channel' })
      .default([...KORE_CHANNELS])
      .meta({ title: 'Channels for intents', description: 'Channel ids getAnalytics is asked for (its own default is rtm only). Channels seen in the sessions are always added.' }),
    ...piiFields('userId values that are an e-mail address or a phone number (other user ids are kept as they are)'),
  })
  .strict()
  .superRefine((config, ctx) => {
    refinePii(config, ctx);
    if (config.client_secret === undefined && config.jwt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'required: give client_secret (Parley mints the JWT) or jwt (a ready token)' });
    }
    if (config.client_secret !== undefined && config.jwt !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['jwt'], message: 'give either client_secret or jwt, not both' });
    }
    if (config.end_date !== undefined && config.end_date < config.start_date) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: `must be on or after start_date (${config.start_date})` });
    }
  });

export type KoreConfig = z.infer<typeof KoreConfig>;
