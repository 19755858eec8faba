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
  // A results page is ~1,000 nested conversations (megabytes): growing the heap by 30 % (the
  // default, core/heap.ts) made V8 collect the old generation ~3× as often for it. 150k conversations,
  // 2 runs each: 30 % → 20.7–23.0 CPU-s, 140–152 full collections, 265–269 MiB peak RSS; 100 % →
  // 18.0–18.2 CPU-s, 42 collections, 278–285 MiB.
  heapGrowthPercent: 100,
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
