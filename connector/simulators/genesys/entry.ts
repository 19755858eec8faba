/** The Genesys Cloud simulator as `parley simulate` and `parley demo` use it (see ../registry.ts). */
import type { SimulatorRuntime } from '../registry.js';
import { SimulatorUsageError } from '../registry.js';
import { startGenesysSimulator } from './server.js';

export const genesysSimulator: SimulatorRuntime = {
  async start({ port, generator, faults, flags }) {
    const fixed = flags.now !== undefined ? Date.parse(flags.now) : undefined;
    if (Number.isNaN(fixed)) throw new SimulatorUsageError(`--now: "${flags.now}" is not an ISO instant, e.g. 2026-11-20T12:00:00Z`);
    return startGenesysSimulator({ port, ...(fixed !== undefined ? { now: () => fixed } : {}), generator, faults });
  },
  demo: {
    start: () => startGenesysSimulator({ generator: { seed: 42, conversationsPerDay: 80, invalidEvery: 400 } }),
    source: (url, startDate) => ({
      vendor: 'genesys',
      base_url: url,
      login_url: url,
      client_id: 'sim-client-id',
      client_secret: 'sim-client-secret',
      start_date: startDate,
      job_poll_seconds: 0.1,
      max_requests_per_minute: 6000,
    }),
  },
};
