/** The Kore.ai simulator as `parley simulate` and `parley demo` use it (see ../registry.ts). */
import type { SimulatorRuntime } from '../registry.js';
import { SimulatorUsageError } from '../registry.js';
import type { KoreGeneratorOptions } from './generator.js';
import { startKoreSimulator } from './server.js';

export const koreSimulator: SimulatorRuntime = {
  async start({ port, generator, faults, flags }) {
    const fixed = flags.now !== undefined ? Date.parse(flags.now) : undefined;
    if (Number.isNaN(fixed)) throw new SimulatorUsageError(`--now: "${flags.now}" is not an ISO instant, e.g. 2026-11-20T12:00:00Z`);
    // The shared --per-day flag means sessions per bot per day here.
    const options: Partial<KoreGeneratorOptions> = {
      ...(generator.seed !== undefined ? { seed: generator.seed } : {}),
      ...(generator.conversationsPerDay !== undefined ? { sessionsPerDay: generator.conversationsPerDay } : {}),
      ...(generator.invalidEvery !== undefined ? { invalidEvery: generator.invalidEvery } : {}),
    };
    return startKoreSimulator({ port, ...(fixed !== undefined ? { now: () => fixed } : {}), generator: options, faults });
  },
  demo: {
    start: () => startKoreSimulator({ generator: { seed: 42, sessionsPerDay: 30, invalidEvery: 500 } }),
    source: (url, startDate) => ({
      vendor: 'kore',
      base_url: url,
      client_id: 'sim-client-id',
      client_secret: 'sim-client-secret',
      bot_ids: ['st-demo-support', 'st-demo-sales', 'st-demo-voice'],
      start_date: startDate,
      window_hours: 144,
    }),
  },
};
