/** The Genesys Cloud source: Conversation Detail jobs (analytics data lake). */
import type { Source } from '../source.js';
import { GenesysClient } from './client.js';
import { GenesysConfig } from './config.js';
import { readGenesys } from './read.js';
import { genesysStreams } from './streams.js';
import { logger } from '../../core/log.js';

const log = logger('genesys');

export const genesysSource: Source<GenesysConfig> = {
  vendor: 'genesys',
  configSchema: GenesysConfig,
  secrets: (config) => [config.client_secret],
  streams: genesysStreams,
  async check(config) {
    // A token (credentials, region), the availability date (analytics permission), the outcome list (optional).
    const client = new GenesysClient(config);
    await client.availability();
    if ((await client.flowOutcomes()) === null) {
      log.warn('the OAuth client may not list flow outcomes (architect:flowOutcome:view); intents will be named by outcome id');
    }
  },
  read: readGenesys,
};
