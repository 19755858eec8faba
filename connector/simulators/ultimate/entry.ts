/** The Ultimate simulator as `parley simulate` and `parley demo` use it (see ../registry.ts). */
import type { SimulatorRuntime } from '../registry.js';
import { SimulatorUsageError } from '../registry.js';
import { startUltimateSimulator } from './server.js';

export const ultimateSimulator: SimulatorRuntime = {
  async start({ port, generator, faults, flags }) {
    if (flags.shape !== undefined && flags.shape !== 'bench' && flags.shape !== 'realistic') throw new SimulatorUsageError(`--shape ${flags.shape}: use realistic or bench`);
    return startUltimateSimulator({
      port,
      ...(flags.today !== undefined ? { today: flags.today } : {}),
      generator: { ...generator, shape: flags.shape === 'bench' ? 'bench' : 'realistic' },
      faults,
    });
  },
  demo: {
    start: () => startUltimateSimulator({ generator: { seed: 42, conversationsPerDay: 60, invalidEvery: 400 } }),
    source: (url, startDate) => ({
      vendor: 'ultimate',
      base_url: url,
      api_key: 'sim-api-key',
      organization_id: 'sim-org',
      bot_ids: ['support-bot', 'sales-bot'],
      start_date: startDate,
      lookback_days: 3,
    }),
  },
};
