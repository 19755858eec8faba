/** The Ultimate (Zendesk AI agents) Data Export source: config, client, record normaliser, stream declarations. */
import { planStream } from '../../core/streams/run.js';
import { emptyState } from '../../core/streams/state.js';
import type { Source } from '../source.js';
import { UltimateClient } from './client.js';
import { UltimateConfig } from './config.js';
import { conversationsStream, ultimateStreams, type UltimateSession } from './streams.js';

export const ultimateSource: Source<UltimateConfig, UltimateSession> = {
  vendor: 'ultimate',
  configSchema: UltimateConfig,
  secrets: (config) => [config.api_key, config.pii_key].filter((s): s is string => typeof s === 'string'),
  instance: (config) => config.organization_id,
  session: (config) => ({ client: new UltimateClient(config) }),
  streams: ultimateStreams,
  async check(context) {
    // Validates the served-history window, then makes one real request per bot for the newest day.
    const { until, plans } = await planStream(conversationsStream, context, emptyState(ultimateSource.instance(context.config)));
    const newest = plans.flatMap((p) => p.windows).at(-1)?.start.slice(0, 10) ?? new Date(Date.parse(until) - 1).toISOString().slice(0, 10);
    for (const botId of context.config.bot_ids) await context.session.client.signedUrls(botId, newest);
  },
};
