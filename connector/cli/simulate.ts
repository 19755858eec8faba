/** `parley simulate <vendor> [--port N]`: a local fake of the vendor API for tests, demos and benchmarks. */
import { SIMULATORS, SimulatorUsageError, simulatorFor } from '../simulators/registry.js';
import { UsageError, type Command } from './command.js';

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

const vendorFlags = [...new Set(SIMULATORS.flatMap((entry) => Object.keys(entry.flags)))];

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Serve a vendor API simulator on localhost (deterministic data, switchable faults).',
  usage:
    `parley simulate ${SIMULATORS.map((s) => s.vendor).join('|')} [--port 8700] [--seed 42] [--per-day 40] [--faults k=v,...] [--invalid-every N]\n` +
    SIMULATORS.map((s) => `  ${s.vendor}: ${Object.keys(s.flags).map((f) => `[--${f} …]`).join(' ') || '(no extra flags)'}`).join('\n'),
  details: [
    'Prints the base URL on stdout, then serves until interrupted.',
    ...SIMULATORS.flatMap((s) => [`${s.vendor}: ${s.help}`, ...Object.entries(s.flags).map(([flag, help]) => `  --${flag}: ${help}`)]),
    'Faults can also be changed at runtime: POST /__sim/faults with a JSON object.',
  ],
  options: {
    port: { type: 'string' },
    seed: { type: 'string' },
    'per-day': { type: 'string' },
    faults: { type: 'string' },
    'invalid-every': { type: 'string' },
    ...Object.fromEntries(vendorFlags.map((flag) => [flag, { type: 'string' as const }])),
  },
  async run(values, positionals) {
    const entry = simulatorFor(positionals[0]);
    if (!entry) throw new UsageError(`parley simulate: name a vendor: ${SIMULATORS.map((s) => s.vendor).join(', ')}`);
    const stray = vendorFlags.filter((flag) => values[flag] !== undefined && !(flag in entry.flags));
    if (stray.length > 0) throw new UsageError(`parley simulate ${entry.vendor}: --${stray.join(', --')} is not a flag of this simulator. See: parley simulate --help`);
    const num = (name: string) => (typeof values[name] === 'string' ? Number(values[name]) : undefined);
    const generator = Object.fromEntries(
      ([['seed', num('seed')], ['conversationsPerDay', num('per-day')], ['invalidEvery', num('invalid-every')]] as const).filter(([, v]) => v !== undefined),
    );
    const flags = Object.fromEntries(Object.keys(entry.flags).map((flag) => [flag, typeof values[flag] === 'string' ? (values[flag] as string) : undefined]));
    let simulator;
    try {
      simulator = await (await entry.load()).start({ port: num('port') ?? 0, generator, faults: parseFaults(values.faults as string | undefined), flags });
    } catch (error) {
      if (error instanceof SimulatorUsageError) throw new UsageError(`parley simulate ${entry.vendor}: ${error.message}`);
      throw error;
    }
    process.stdout.write(`${simulator.url}\n`);
    process.stderr.write(`${entry.vendor} simulator listening on ${simulator.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await simulator.close();
    return 0;
  },
};
