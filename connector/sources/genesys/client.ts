/**
 * The Genesys Cloud API as the source uses it: one HTTP client (429s wait Retry-After, else
 * inin-ratelimit-reset; ~300 requests/min per OAuth client, so requests are paced below that), the
 * client-credentials token, the Conversation Detail job driver and Architect's flow outcome list.
 */
import { HttpClient, readErrorMessage, readJson, type HttpRequest } from '../../core/http.js';
import { ClientCredentialsAuth } from '../../core/oauth.js';
import { perSecond } from '../../core/rate-budget.js';
import { SystemError } from '../../core/errors.js';
import { genesysEndpoints, type GenesysConfig } from './config.js';
import { conversationDetailJobs, dataAvailabilityDate } from './jobs.js';
import { piiPolicy } from '../config-fields.js';

export const VENDOR = 'Genesys Cloud';
const OUTCOMES_PATH = '/api/v2/flows/outcomes';
const OUTCOMES_PAGE_SIZE = 100;

export interface FlowOutcome {
  id: string;
  name: string | null;
  description: string | null;
}

export class GenesysClient {
  readonly auth: ClientCredentialsAuth;
  readonly apiBase: string;

  constructor(private readonly config: GenesysConfig) {
    const { apiBase, tokenUrl } = genesysEndpoints(config);
    this.apiBase = apiBase;
    // max_requests_per_minute (default 240: under Genesys's default 300/min per client, with room for
    // other tools) over a rolling minute, and spread over the seconds so it never comes as one burst.
    const http = new HttpClient({
      vendor: VENDOR,
      concurrency: 4,
      limits: [{ requests: config.max_requests_per_minute, perMs: 60_000 }, perSecond(config.max_requests_per_minute / 60)],
      resetHeader: 'inin-ratelimit-reset',
      authHint: "Check client_id / client_secret and region, and that the OAuth client's role has the permission analytics:conversationDetail:view (README: Point it at Genesys Cloud).",
    });
    this.auth = new ClientCredentialsAuth(http, { tokenUrl, clientId: config.client_id, clientSecret: config.client_secret, vendor: VENDOR });
  }

  availability(): Promise<string> {
    return dataAvailabilityDate(this.auth, this.apiBase);
  }

  detailJobs() {
    return conversationDetailJobs(this.auth, this.apiBase, this.config.page_size, piiPolicy(this.config));
  }

  /**
   * Every flow outcome defined in the org (id → name), page by page; `null` when the OAuth client
   * may not list them (403: it lacks architect:flowOutcome:view).
   */
  async flowOutcomes(): Promise<FlowOutcome[] | null> {
    const out: FlowOutcome[] = [];
    for (let page = 1; ; page++) {
      const request: HttpRequest = {
        method: 'GET',
        url: `${this.apiBase}${OUTCOMES_PATH}?pageSize=${OUTCOMES_PAGE_SIZE}&pageNumber=${page}`,
        headers: { accept: 'application/json' },
        passStatuses: [403],
      };
      const response = await this.auth.send(request);
      if (response.status === 403) {
        await readErrorMessage(response.body);
        return null;
      }
      const body = (await readJson<{ entities?: unknown; pageCount?: unknown }>(response, VENDOR, request)) ?? {};
      if (!Array.isArray(body.entities)) throw new SystemError(`${VENDOR} listed flow outcomes without an entities array (page ${page})`);
      for (const entity of body.entities as Array<Record<string, unknown>>) {
        if (typeof entity?.id !== 'string') continue;
        out.push({ id: entity.id, name: typeof entity.name === 'string' ? entity.name : null, description: typeof entity.description === 'string' ? entity.description : null });
      }
      const pageCount = typeof body.pageCount === 'number' ? body.pageCount : page;
      if (page >= pageCount || body.entities.length === 0) return out;
    }
  }
}
