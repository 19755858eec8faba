/** `parley simulate <vendor> [--port N]`: a local fake of the vendor API for tests, demos and benchmarks. */
import { UsageError, type Command } from './command.js';

const VENDORS = ['ultimate', 'genesys'];

/** `--faults rateLimitEvery=5,expireFirstDownload=true` → an object (the simulator checks the keys). */
function parseFaults(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  const faults: Record<string, unknown> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [key, value = 'true'] = pair.split('=');
    if (!key) continue;
    faults[key.trim()] = value === 'true' ? true : value === 'false' ? false : Number.isNaN(Number(value)) ? value : Number(value);
  }
  return faults;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Serve a vendor API simulator on localhost (deterministic data, switchable faults).',
  usage:
    'parley simulate ultimate|genesys [--port 8700] [--seed 42] [--per-day 40] [--faults k=v,...] [--invalid-every N]\n' +
    '  ultimate: [--today YYYY-MM-DD] [--shape realistic|bench]    genesys: [--now ISO-instant]',
  details: [
    'Prints the base URL on stdout, then serves until interrupted.',
    'ultimate: api_key "sim-api-key", organization_id "sim-org", any bot id. Faults: rateLimitEvery, serverErrorEvery, slowMs, truncateEvery, expireFirstDownload, grown, signedUrlsKey.',
    'genesys: client_id "sim-client-id", client_secret "sim-client-secret"; set base_url and login_url to the printed URL. Faults: rateLimitEvery, retryAfterSeconds, omitRetryAfter, serverErrorEvery, slowMs, pendingPolls, jobSeconds, failEvery, expireAfterPages, tokenLifetimeSeconds, availabilityLagHours, outcomesForbidden, jobsForbidden.',
    'Faults can also be changed at runtime: POST /__sim/faults with a JSON object.',
  ],
  options: {
    port: { type: 'string' },
    today: { type: 'string' },
    now: { type: 'string' },
    seed: { type: 'string' },
    'per-day': { type: 'string' },
    shape: { type: 'string' },
    faults: { type: 'string' },
    'invalid-every': { type: 'string' },
  },
  async run(values, positionals) {
    const vendor = positionals[0];
    if (!vendor || !VENDORS.includes(vendor)) throw new UsageError(`parley simulate: name a vendor: ${VENDORS.join(', ')}`);
    const num = (name: string) => (typeof values[name] === 'string' ? Number(values[name]) : undefined);
    // Generator options both simulators share; absent flags keep each simulator's defaults.
    const generator = Object.fromEntries(
      ([['seed', num('seed')], ['conversationsPerDay', num('per-day')], ['invalidEvery', num('invalid-every')]] as const).filter(([, v]) => v !== undefined),
    ) as { seed?: number; conversationsPerDay?: number; invalidEvery?: number };
    const faults = parseFaults(values.faults as string | undefined);
    let simulator: { url: string; close(): Promise<void> };
    // Loaded here, not at the top: protocol commands never pay for simulator code.
    if (vendor === 'genesys') {
      const fixed = typeof values.now === 'string' ? Date.parse(values.now) : undefined;
      if (Number.isNaN(fixed)) throw new UsageError(`--now: "${String(values.now)}" is not an ISO instant, e.g. 2026-11-20T12:00:00Z`);
      const { startGenesysSimulator } = await import('../sources/genesys/simulator.js');
      simulator = await startGenesysSimulator({
        port: num('port') ?? 0,
        ...(fixed !== undefined ? { now: () => fixed } : {}),
        generator,
        faults,
      });
    } else {
      const { startUltimateSimulator } = await import('../sources/ultimate/simulator.js');
      simulator = await startUltimateSimulator({
        port: num('port') ?? 0,
        ...(typeof values.today === 'string' ? { today: values.today } : {}),
        generator: { ...generator, shape: values.shape === 'bench' ? 'bench' : 'realistic' },
        faults,
      });
    }
    process.stdout.write(`${simulator.url}\n`);
    process.stderr.write(`${vendor} simulator listening on ${simulator.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await simulator.close();
    return 0;
  },
};
