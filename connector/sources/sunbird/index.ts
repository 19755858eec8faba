/** The Sunbird UCI source: Exhaust API requests (response and private exhaust). Config, client, job driver, record normaliser, stream declarations. */
import { piiPolicy } from '../config-fields.js';
import type { Source } from '../source.js';
import { SunbirdClient } from './client.js';
import { SunbirdConfig } from './config.js';
import { PrivateExhaust, ResponseExhaust } from './exhaust.js';
import { sunbirdStreams, type SunbirdSession } from './streams.js';

const instance = (config: SunbirdConfig) => `${new URL(config.base_url).host}/${config.channel_id}`;

export const sunbirdSource: Source<SunbirdConfig, SunbirdSession> = {
  vendor: 'sunbird',
  configSchema: SunbirdConfig,
  secrets: (config) => [config.api_key, config.user_token, config.pii_key, config.encryption_key].filter((s): s is string => typeof s === 'string'),
  // A channel (organisation) on one UCI host: requests, bots and users belong to it.
  instance,
  session: (config) => {
    const client = new SunbirdClient(config);
    const options = {
      client,
      instance: instance(config),
      pii: piiPolicy(config),
      ...(config.encryption_key !== undefined ? { encryptionKey: config.encryption_key } : {}),
    };
    return { responses: new ResponseExhaust(options), users: new PrivateExhaust(options) };
  },
  streams: sunbirdStreams,
  async check({ session }) {
    // The three headers and the admin role: a list call under a tag of our own (empty or not, it must be allowed).
    await session.responses.checkAccess();
  },
};
