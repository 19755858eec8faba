/**
 * Sunbird UCI source config. Every default sits beside its field; `spec.json` is generated from this
 * schema (`npm run generate`) and a test fails when the two drift. Credentials: the gateway's API key
 * and a user token with an admin role in the bot's channel; `channel_id` is that channel (the server
 * reads it from the X-Channel-ID header only).
 */
import { z } from 'zod';
import { piiFields, refinePii, utcDay as day } from '../config-fields.js';

const wholeNumber = { error: 'expected a whole number' };
const secret = (what: string) =>
  z
    .string({ error: `expected the ${what} as a string` })
    .min(1, { error: 'must not be empty' });

export const SunbirdConfig = z
  .object({
    vendor: z.literal('sunbird', { error: 'must be "sunbird" for this source' }),
    base_url: z.url({ error: 'must be an http(s) URL: your UCI API root, e.g. "https://uci.example.org/api"' }).meta({
      title: 'API root',
      description: 'The root the Exhaust API paths hang under: {base_url}/dataset/v1/request/submit. Point it at `parley simulate sunbird` for a local test.',
    }),
    api_key: secret('API key').meta({ title: 'API key', description: 'The API gateway key, sent as `Authorization: Bearer <key>`.', airbyte_secret: true }),
    user_token: secret('user token').meta({
      title: 'User token',
      description: 'A user access token (x-authenticated-user-token) of a user with an admin role in the channel.',
      airbyte_secret: true,
    }),
    channel_id: z
      .string({ error: 'required: the channel (organisation) id of your bots, e.g. "0126…"' })
      .min(1, { error: 'must not be empty' })
      .meta({ title: 'Channel ID', description: 'Sent as X-Channel-ID: the server takes the channel from this header only.' }),
    requested_by: z
      .string({ error: 'required: the user id the requests are made as (the user token\'s user)' })
      .min(1, { error: 'must not be empty' })
      .meta({ title: 'Requested by', description: "The requesting user's id (requestedBy): part of every request's identity." }),
    bot_ids: z
      .array(z.string().min(1, { error: 'a bot id must not be empty' }), { error: 'required: a list of bot ids (conversationIds), e.g. ["d655cf03-…"]' })
      .min(1, { error: 'list at least one bot id' })
      .meta({ title: 'Bot IDs', description: 'The bots (conversationId) to sync; each has its own cursor and its own requests.' }),
    start_date: day.meta({ title: 'Start date', description: 'First UTC day of responses to load on the first sync.', examples: ['2026-11-01'] }),
    end_date: day.optional().meta({ title: 'End date', description: 'Last UTC day (inclusive) to load. Default: up to yesterday.' }),
    window_days: z
      .number(wholeNumber)
      .int(wholeNumber)
      .min(1, { error: 'must be 1 or more' })
      .max(31, { error: 'must be 31 or less' })
      .default(1)
      .meta({ title: 'Window (days)', description: 'Days per exhaust request on the start_date grid; only whole windows up to yesterday are requested.' }),
    job_wait_seconds: z
      .number(wholeNumber)
      .int(wholeNumber)
      .min(0, { error: 'must be 0 or more' })
      .default(60)
      .meta({
        title: 'Wait for requests (seconds)',
        description: 'How long one sync waits for pending requests (the vendor runs them in a daily batch) before it saves them in the state and ends successfully; the next sync loads them.',
      }),
    job_give_up_hours: z
      .number(wholeNumber)
      .int(wholeNumber)
      .min(1, { error: 'must be 1 or more' })
      .default(72)
      .meta({ title: 'Give up on a request after (hours)', description: 'A request still SUBMITTED this long after submission is reported and requested again under a new tag.' }),
    include_private_exhaust: z
      .boolean({ error: 'expected true or false' })
      .default(false)
      .meta({ title: 'Load users (private exhaust)', description: 'Also request the private exhaust (the users who conversed, with their phone numbers as `pii` says), once a day.' }),
    ...piiFields('Phone numbers (Decrypted / Encrypted Device ID)'),
    encryption_key: secret('encryption key')
      .optional()
      .meta({ title: 'Encryption key', description: 'Sent with private exhaust requests: the vendor zips the user file with it as the password.', airbyte_secret: true }),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.end_date !== undefined && config.end_date < config.start_date) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: `must be on or after start_date (${config.start_date})` });
    }
    refinePii(config, ctx);
    if (config.encryption_key !== undefined && !config.include_private_exhaust) {
      ctx.addIssue({ code: 'custom', path: ['encryption_key'], message: 'only used with include_private_exhaust: true' });
    }
  });

export type SunbirdConfig = z.infer<typeof SunbirdConfig>;
