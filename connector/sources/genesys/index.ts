/** The Genesys Cloud source: Conversation Detail jobs (analytics data lake). Config, client, job driver, record normaliser, stream declarations. */
import { logger } from '../../core/log.js';
import type { Source } from '../source.js';
import { staleAvailabilityWarning } from './availability.js';
import { GenesysClient } from './client.js';
import { GenesysConfig } from './config.js';
import { genesysStreams, type GenesysSession } from './streams.js';

const log = logger('genesys');

export const genesysSource: Source<GenesysConfig, GenesysSession> = {
  vendor: 'genesys',
  configSchema: GenesysConfig,
  secrets: (config) => [config.client_secret, config.pii_key].filter((s): s is string => typeof s === 'string'),
  // An OAuth client belongs to one org; the region tells orgs apart whose clients share an id.
  instance: (config) => `${config.region}/${config.client_id}`,
  session: (config) => ({ client: new GenesysClient(config) }),
  streams: genesysStreams,
  async check({ session, now }) {
    // A token (credentials, region), the availability date (analytics permission; stale = the
    // nightly batch failed), the outcome list (optional).
    const warnings: string[] = [];
    const stale = staleAvailabilityWarning(await session.client.availability(), now);
    if (stale) warnings.push(stale);
    if ((await session.client.flowOutcomes()) === null) {
      warnings.push('the OAuth client may not list flow outcomes (architect:flowOutcome:view); intents will be named by outcome id');
    }
    for (const warning of warnings) log.warn(warning);
    return { warnings };
  },
};
