/** `parley simulate <vendor> [--port N]`: a local fake of the vendor API for tests, demos and benchmarks. */
import type { UltimateFaults } from '../sources/ultimate/simulator.js';
import { UsageError, type Command } from './command.js';

const VENDORS = ['ultimate'];

/** `--faults rateLimitEvery=5,expireFirstDownload=true` → an object. */
function parseFaults(text: string | undefined): Partial<UltimateFaults> {
  if (!text) return {};
  const faults: Record<string, unknown> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [key, value = 'true'] = pair.split('=');
    if (!key) continue;
    faults[key.trim()] = value === 'true' ? true : value === 'false' ? false : Number.isNaN(Number(value)) ? value : Number(value);
  }
  return faults as Partial<UltimateFaults>;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Serve a vendor API simulator on localhost (deterministic data, switchable faults).',
  usage: 'parley simulate ultimate [--port 8700] [--today YYYY-MM-DD] [--seed 42] [--per-day 40] [--shape realistic|bench] [--faults k=v,...]',
  details: [
    'Prints the base URL on stdout, then serves until interrupted. Credentials: api_key "sim-api-key", organization_id "sim-org", any bot id.',
    'Faults: rateLimitEvery, serverErrorEvery, slowMs, truncateEvery, expireFirstDownload, grown, signedUrlsKey (also settable at runtime: POST /__sim/faults).',
  ],
  options: {
    port: { type: 'string' },
    today: { type: 'string' },
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
    const shape = values.shape === 'bench' ? 'bench' : 'realistic';
    // Loaded here, not at the top: protocol commands never pay for simulator code.
    const { startUltimateSimulator } = await import('../sources/ultimate/simulator.js');
    const simulator = await startUltimateSimulator({
      port: num('port') ?? 0,
      ...(typeof values.today === 'string' ? { today: values.today } : {}),
      generator: {
        ...(num('seed') !== undefined ? { seed: num('seed')! } : {}),
        ...(num('per-day') !== undefined ? { conversationsPerDay: num('per-day')! } : {}),
        ...(num('invalid-every') !== undefined ? { invalidEvery: num('invalid-every')! } : {}),
        shape,
      },
      faults: parseFaults(values.faults as string | undefined),
    });
    process.stdout.write(`${simulator.url}\n`);
    process.stderr.write(`ultimate simulator listening on ${simulator.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await simulator.close();
    return 0;
  },
};
