/** The Ultimate (Zendesk AI agents) Data Export source. */
import type { Source } from '../source.js';
import { UltimateClient } from './client.js';
import { UltimateConfig } from './config.js';
import { parseUltimateState, planExportDays, readUltimate } from './read.js';
import { ultimateStreams } from './streams.js';

export const ultimateSource: Source<UltimateConfig> = {
  vendor: 'ultimate',
  configSchema: UltimateConfig,
  secrets: (config) => [config.api_key],
  streams: ultimateStreams,
  async check(config, now) {
    // Validates the served-history window, then makes one real request per bot for the newest day.
    const plan = planExportDays(config, parseUltimateState({ state: {}, now, signal: new AbortController().signal }), now);
    const client = new UltimateClient(config);
    for (const { botId, days } of plan) {
      await client.signedUrls(botId, days.at(-1) ?? config.start_date);
    }
  },
  read: readUltimate,
};
