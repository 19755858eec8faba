/**
 * Every vendor simulator by name: what `parley simulate <vendor>` serves and what `parley demo` runs
 * against. A new vendor adds one entry here (its folder holds `server.ts`, `generator.ts` and
 * `entry.ts`); nothing in `sources/` imports simulator code. This file is light: the servers load
 * only when started, so protocol commands never pay for them.
 */
export interface RunningSimulator {
  url: string;
  close(): Promise<void>;
}

/** Generator options every simulator shares; absent ones keep each simulator's defaults. */
export interface SharedGeneratorOptions {
  seed?: number;
  conversationsPerDay?: number;
  invalidEvery?: number;
}

export interface SimulatorStart {
  port: number;
  generator: SharedGeneratorOptions;
  faults: Record<string, unknown>;
  /** The vendor's own flags (see `flags`), as given on the command line. */
  flags: Record<string, string | undefined>;
}

/** The heavy half of an entry: the server and the demo setup. */
export interface SimulatorRuntime {
  start(options: SimulatorStart): Promise<RunningSimulator>;
  /** The demo: a simulator with demo data, and the source config that points at it. */
  demo: {
    start(): Promise<RunningSimulator>;
    source(url: string, startDate: string): Record<string, unknown>;
  };
}

export interface SimulatorEntry {
  vendor: string;
  /** Vendor flags of `parley simulate` beyond the shared ones: name → help text. */
  flags: Record<string, string>;
  /** Help line: credentials and faults. */
  help: string;
  load(): Promise<SimulatorRuntime>;
}

/** Thrown for a flag value the simulator cannot take (the CLI shows it as a usage error). */
export class SimulatorUsageError extends Error {}

export const SIMULATORS: readonly SimulatorEntry[] = [
  {
    vendor: 'ultimate',
    flags: { today: 'YYYY-MM-DD: the newest export is the day before (default: the real date)', shape: 'realistic|bench: bench is ~1–1.5 KB per conversation' },
    help: 'api_key "sim-api-key", organization_id "sim-org", any bot id. Faults: rateLimitEvery, serverErrorEvery, slowMs, truncateEvery, expireFirstDownload, grown, signedUrlsKey, failBot.',
    load: async () => (await import('./ultimate/entry.js')).ultimateSimulator,
  },
  {
    vendor: 'genesys',
    flags: { now: "ISO instant: the simulator's clock, fixed (default: the real clock)" },
    help:
      'client_id "sim-client-id", client_secret "sim-client-secret"; set base_url and login_url to the printed URL. Faults: rateLimitEvery, retryAfterSeconds, omitRetryAfter, serverErrorEvery, slowMs, pendingPolls, jobSeconds, failEvery, expireAfterPages, tokenLifetimeSeconds, availabilityLagHours, outcomesForbidden, jobsForbidden.',
    load: async () => (await import('./genesys/entry.js')).genesysSimulator,
  },
  {
    vendor: 'kore',
    flags: { now: "ISO instant: the simulator's data clock, fixed (default: the real clock); rate windows stay on wall time" },
    help:
      'client_id "sim-client-id", client_secret "sim-client-secret" (header auth: HS256 JWT with appId, sub, iat, exp ≤ iat+3600), any "st-…" bot id; --per-day is sessions per bot per day. Faults: rateLimitEvery, retryAfterSeconds, omitRetryAfter, serverErrorEvery, slowMs, truncateEvery, rateLimitStorm, limitCap, perMinute, perHour, unauthorized, advanceMsPerRequest.',
    load: async () => (await import('./kore/entry.js')).koreSimulator,
  },
  {
    vendor: 'sunbird',
    flags: {
      now: "ISO instant: the simulator's data clock, fixed (default: the real clock); it decides today (requestIds) and which data exists",
      'batch-every': 'seconds between batch runs (wall time), or "immediate" (run each job on submit); default: only POST /__sim/batch runs it',
    },
    help:
      'base_url = the printed URL + "/api"; api_key "sim-api-key", user_token "sim-user-token", channel_id "sim-channel" (any channel), requested_by any, any conversationId as bot id; --per-day is conversations per bot per day. Jobs stay SUBMITTED until the batch runs: POST /__sim/batch (answers what it did) or --batch-every. Faults: serverErrorEvery, rateLimitEvery, slowMs, truncateEvery, failJobs, urlTtlSeconds, refuseDownloads, forbidChannel.',
    load: async () => (await import('./sunbird/entry.js')).sunbirdSimulator,
  },
];

export function simulatorFor(vendor: string | undefined): SimulatorEntry | undefined {
  return SIMULATORS.find((entry) => entry.vendor === vendor);
}
