/** The Kore.ai source: getSessions and getAnalytics per bot. Config, client, record normaliser, stream declarations. */
import type { Source } from '../source.js';
import { KoreClient } from './client.js';
import { KoreConfig } from './config.js';
import { koreStreams, type KoreSession } from './streams.js';

export const koreSource: Source<KoreConfig, KoreSession> = {
  vendor: 'kore',
  configSchema: KoreConfig,
  secrets: (config) => [config.client_secret, config.jwt, config.pii_key].filter((s): s is string => typeof s === 'string'),
  // An app (client id) belongs to one Kore account on one host: the host tells on-prem installs apart.
  instance: (config) => `${new URL(config.base_url).host}/${config.client_id}`,
  session: (config) => ({ client: new KoreClient(config), channelsSeen: new Set(), channelsAnnounced: new Set() }),
  streams: koreStreams,
  async check({ session, config, now }) {
    // A minted (or given) JWT and one real getSessions call per bot: credentials, scopes and bot ids.
    const window = { start: new Date(now.getTime() - 3_600_000).toISOString(), end: now.toISOString() };
    for (const botId of config.bot_ids) await session.client.sessions(botId, 'selfService', window, 0);
  },
};
