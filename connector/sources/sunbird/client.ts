/**
 * The Sunbird UCI Exhaust API as the source uses it (seed 000, sources.md §4): submit, read and list
 * dataset requests. Every call carries the gateway key (`Authorization: Bearer`), the user token
 * (`x-authenticated-user-token`) and the channel (`X-Channel-ID`: the server ignores the body's
 * channel). The server answers some failures with HTTP 200 and `params.status: "failed"` (an unknown
 * requestId): every body is checked, not only the status code.
 */
import { HttpClient, HttpError, type HttpRequest } from '../../core/http.js';
import { ConfigError, SystemError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { SunbirdConfig } from './config.js';

export const VENDOR = 'Sunbird UCI';
export const RESPONSE_EXHAUST = 'uci-response-exhaust';
export const PRIVATE_EXHAUST = 'uci-private-exhaust';
export type Dataset = typeof RESPONSE_EXHAUST | typeof PRIVATE_EXHAUST;

/** A dataset request as the server reports it (the fields Parley reads). */
export interface ExhaustJob {
  requestId: string;
  tag: string;
  status: string;
  statusMessage?: string;
  attempts?: number;
  downloadUrls: string[];
  expiresAt?: number;
  datasetConfig?: { type?: string; conversationId?: string; startDate?: string; endDate?: string };
  jobStats?: { dtJobSubmitted?: number | null; dtJobCompleted?: number | null };
}

/** The server says it has no such request (read of an unknown requestId: HTTP 200, status failed). */
export class UnknownRequestError extends SystemError {}

const authHint = (config: SunbirdConfig) =>
  `Check api_key (sent as Authorization: Bearer), user_token (x-authenticated-user-token: its user needs an admin role in channel ${config.channel_id}) ` +
  'and channel_id (sent as X-Channel-ID). README: Point it at Sunbird UCI.';

export class SunbirdClient {
  readonly http: HttpClient;
  private readonly base: string;

  constructor(private readonly config: SunbirdConfig) {
    this.base = config.base_url.replace(/\/+$/, '');
    this.http = new HttpClient({ vendor: VENDOR, concurrency: 4, authHint: authHint(config) });
  }

  private headers(): Record<string, string> {
    return {
      authorization: `Bearer ${this.config.api_key}`,
      'x-authenticated-user-token': this.config.user_token,
      'x-channel-id': this.config.channel_id,
      'content-type': 'application/json',
    };
  }

  /** `failedMeansUnknown`: a "failed" answer says the request does not exist (a read), not that the call failed. */
  private async call(request: HttpRequest, what: string, failedMeansUnknown = false): Promise<Record<string, unknown>> {
    let data: unknown;
    try {
      ({ data } = await this.http.jsonRepeatable<unknown>({ ...request, headers: { ...this.headers(), ...request.headers } }));
    } catch (error) {
      if (error instanceof HttpError && error.status === 400) throw new ConfigError(`${VENDOR} refused ${what}: ${error.message}. Check bot_ids, requested_by and channel_id.`);
      throw error;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new SystemError(`${VENDOR} answered ${what} without a JSON object`);
    const body = data as Record<string, unknown>;
    const params = (body.params ?? {}) as Record<string, unknown>;
    if (params.status === 'failed') {
      const message = redact(String(params.errmsg ?? params.err ?? body.responseCode ?? 'no message')).slice(0, 300);
      const error = `${VENDOR} answered ${what} with status "failed": ${message}`;
      if (failedMeansUnknown) throw new UnknownRequestError(error);
      throw new SystemError(error);
    }
    return body;
  }

  /** Submits a request; the server answers with the job (the FIRST one, when this requestId exists already). */
  async submit(dataset: Dataset, tag: string, botId: string, startDate: string, endDate: string): Promise<ExhaustJob> {
    const body = {
      id: 'ekstep.analytics.job.request.submit',
      ver: '1.0',
      ts: new Date().toISOString(),
      params: { msgid: tag },
      request: {
        dataset,
        tag,
        requestedBy: this.config.requested_by,
        requestedChannel: this.config.channel_id,
        datasetConfig: { type: dataset, conversationId: botId, startDate, endDate },
        output_format: 'csv',
        ...(dataset === PRIVATE_EXHAUST && this.config.encryption_key !== undefined ? { encryptionKey: this.config.encryption_key } : {}),
      },
    };
    const data = await this.call({ method: 'POST', url: `${this.base}/dataset/v1/request/submit`, body: JSON.stringify(body) }, `submit (${dataset}, bot ${botId})`);
    return job(data.result, `submit (${dataset}, bot ${botId})`);
  }

  /** The request's current state, with download URLs signed anew (they expire ~30 minutes later). */
  async read(tag: string, requestId: string): Promise<ExhaustJob> {
    const url = `${this.base}/dataset/v1/request/read/${encodeURIComponent(tag)}?requestId=${encodeURIComponent(requestId)}`;
    const data = await this.call({ method: 'GET', url }, `read of request ${requestId}`, true);
    return job(data.result, `read of request ${requestId}`);
  }

  /** The newest requests under a tag (a connection check: any tag will do). */
  async list(tag: string, limit: number): Promise<ExhaustJob[]> {
    const data = await this.call({ method: 'GET', url: `${this.base}/dataset/v1/request/list/${encodeURIComponent(tag)}?limit=${limit}` }, `list of tag ${tag}`);
    const result = (data.result ?? {}) as { jobs?: unknown };
    return Array.isArray(result.jobs) ? result.jobs.map((j) => job(j, `list of tag ${tag}`)) : [];
  }
}

function job(value: unknown, what: string): ExhaustJob {
  if (value === null || typeof value !== 'object') throw new SystemError(`${VENDOR} answered ${what} without a job in "result"`);
  const j = value as Record<string, unknown>;
  if (typeof j.requestId !== 'string' || j.requestId === '' || typeof j.status !== 'string') {
    throw new SystemError(`${VENDOR} answered ${what} with a job lacking requestId or status (keys: ${Object.keys(j).slice(0, 10).join(', ')})`);
  }
  return {
    ...(j as unknown as ExhaustJob),
    downloadUrls: Array.isArray(j.downloadUrls) ? j.downloadUrls.filter((u): u is string => typeof u === 'string') : [],
  };
}
