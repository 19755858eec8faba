/** The Sunbird UCI simulator as `parley simulate` and `parley demo` use it (see ../registry.ts). */
import type { SimulatorRuntime } from '../registry.js';
import { SimulatorUsageError } from '../registry.js';
import { addDays, utcDay } from './generator.js';
import { startSunbirdSimulator } from './server.js';

/** --batch-every: seconds (wall time) between batch runs, or "immediate"; absent = only POST /__sim/batch. */
function batchEvery(flag: string | undefined): number | 'immediate' {
  if (flag === undefined) return 0;
  if (flag === 'immediate') return 'immediate';
  const seconds = Number(flag);
  if (flag.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new SimulatorUsageError(`--batch-every: "${flag}" is neither a number of seconds ≥ 0 nor "immediate"`);
  return seconds;
}

export const sunbirdSimulator: SimulatorRuntime = {
  async start({ port, generator, faults, flags }) {
    if (flags.now !== undefined && Number.isNaN(Date.parse(flags.now))) throw new SimulatorUsageError(`--now: "${flags.now}" is not an ISO instant, e.g. 2026-11-20T12:00:00Z`);
    return startSunbirdSimulator({ port, ...(flags.now !== undefined ? { now: flags.now } : {}), batchEverySeconds: batchEvery(flags['batch-every']), generator, faults });
  },
  demo: {
    // Jobs run on submit (a demo cannot wait for a nightly batch); the header eras switch inside the
    // demo's fortnight, so its files show all three.
    start: () => {
      const today = utcDay(Date.now());
      return startSunbirdSimulator({
        batchEverySeconds: 'immediate',
        generator: { seed: 42, conversationsPerDay: 40, invalidEvery: 400, v2From: addDays(today, -10), v3From: addDays(today, -5) },
      });
    },
    source: (url, startDate) => ({
      vendor: 'sunbird',
      base_url: `${url}/api`,
      api_key: 'sim-api-key',
      user_token: 'sim-user-token',
      channel_id: 'sim-channel',
      requested_by: 'parley-demo',
      bot_ids: ['c63b6faa-11a9-4259-b941-11cd2f8446c6', '3f9b7c2e-61a4-4d8f-b0e5-9c7a2d41f6e8'], // two bot names: Swasthya Saathi, Krishi Mitra
      start_date: startDate,
    }),
  },
};
