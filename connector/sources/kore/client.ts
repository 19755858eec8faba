/**
 * The Kore.ai public APIs as the source uses them (sources.md §3): getSessions per containment type
 * and getAnalytics per intent kind, both skip/limit pages inside a window. Kore limits these APIs
 * per bot (60 requests a minute, 1,800 an hour, rolling), so every bot has its own HTTP client with
 * its own budget (core/rate-budget.ts) — a bot's backfill never spends another bot's budget — and a
 * 429 ("Rate limit for this API has been reached") waits Retry-After, else backs off. Every request
 * carries `auth: <JWT>`: minted from the client secret (HS256, one hour, minted again 5 minutes
 * before it expires) or the token given.
 */
import { HttpClient, HttpError } from '../../core/http.js';
import { ConfigError, SystemError } from '../../core/errors.js';
import { givenJwt, JwtMinter } from '../../core/jwt.js';
import type { Window } from '../../core/windows.js';
import type { KoreConfig } from './config.js';
import { INTENT_KINDS, type ContainmentType, type IntentKind } from './record.js';

export const VENDOR = 'Kore.ai';
/** The `sub` claim of minted tokens: Kore requires one; for app-scoped APIs any stable value. */
const SUBJECT = 'parley-connector';

export interface Page {
  items: unknown[];
  /** There are more items after these (moreAvailable; else skip + received < total). */
  more: boolean;
}

const AUTH_HINT =
  'Check client_id and client_secret (or jwt), and that the app has the API scopes "Bot Sessions" (getSessions) and "Metrics" (getAnalytics) for every bot in bot_ids ' +
  '(Bot Builder → the bot → Settings → API Scopes; README: Point it at Kore.ai).';

export class KoreClient {
  private readonly base: string;
  private readonly token: () => string;
  private readonly perBot = new Map<string, HttpClient>();

  constructor(private readonly config: KoreConfig) {
    this.base = config.base_url.replace(/\/+$/, '');
    if (config.jwt !== undefined) this.token = givenJwt(config.jwt, 'jwt');
    else {
      const minter = new JwtMinter({ claims: { appId: config.client_id, sub: SUBJECT }, secret: config.client_secret!, lifetimeS: 3600 });
      this.token = () => minter.token();
    }
  }

  private http(botId: string): HttpClient {
    let client = this.perBot.get(botId);
    if (!client) {
      client = new HttpClient({
        vendor: VENDOR,
        concurrency: 1,
        limits: [
          { requests: this.config.max_requests_per_minute, perMs: 60_000 },
          { requests: this.config.max_requests_per_hour, perMs: 3_600_000 },
        ],
        // A 429 storm outlasts the default 6 attempts; Retry-After is honoured up to 5 minutes.
        policy: { maxAttempts: 10 },
        authHint: AUTH_HINT,
      });
      this.perBot.set(botId, client);
    }
    return client;
  }

  private async post(botId: string, path: string, body: Record<string, unknown>, what: string): Promise<Record<string, unknown>> {
    const url = `${this.base}/api/public/bot/${encodeURIComponent(botId)}/${path}`;
    try {
      const { data } = await this.http(botId).jsonRepeatable<Record<string, unknown>>({
        method: 'POST',
        url,
        headers: { auth: this.token(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (data === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) throw new SystemError(`${VENDOR} ${what} for bot ${botId} answered without a JSON object`);
      return data;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) {
        throw new ConfigError(`bot_ids: ${botId}: ${VENDOR} does not know this bot (404 from ${what}). Check the bot id (st-…) and that the app is linked to it.`);
      }
      throw error;
    }
  }

  /** One page of getSessions: sessions of `type` that started in the window, newest first. */
  async sessions(botId: string, type: ContainmentType, window: Window, skip: number): Promise<Page> {
    const body = { skip, limit: this.config.page_size, dateFrom: window.start, dateTo: window.end };
    const data = await this.post(botId, `getSessions?containmentType=${type}`, body, `getSessions (${type})`);
    return page(data, 'sessions', skip, `getSessions (${type}) for bot ${botId}`);
  }

  /** One page of getAnalytics: intent events of `kind` in the window, on the channels listed. */
  async intents(botId: string, kind: IntentKind, window: Window, channels: readonly string[], skip: number): Promise<Page> {
    const body = { type: INTENT_KINDS[kind], filters: { from: window.start, to: window.end, channel: [...channels] }, skip, limit: this.config.page_size };
    const data = await this.post(botId, 'getAnalytics', body, `getAnalytics (${INTENT_KINDS[kind]})`);
    return page(data, 'result', skip, `getAnalytics (${INTENT_KINDS[kind]}) for bot ${botId}`);
  }
}

/**
 * A page's items and whether more follow. `moreAvailable` decides; without it (undocumented for
 * getAnalytics), `total` does; without either, pages go on until an empty one.
 */
function page(data: Record<string, unknown>, field: string, skip: number, what: string): Page {
  const items = data[field];
  if (!Array.isArray(items)) throw new SystemError(`${VENDOR} ${what} answered without a "${field}" array (keys: ${Object.keys(data).slice(0, 8).join(', ') || 'none'})`);
  const more = typeof data.moreAvailable === 'boolean' ? data.moreAvailable : typeof data.total === 'number' ? skip + items.length < data.total : items.length > 0;
  return { items, more };
}
