/**
 * The Ultimate Data Export API client: asks for a day's signed URLs and streams the records of each
 * file. Retries, rate limits and resumable downloads come from core/.
 */
import { HttpClient, HttpError } from '../../core/http.js';
import { perSecond } from '../../core/rate-budget.js';
import { downloadRecordTexts } from '../../core/download.js';
import { SystemError } from '../../core/errors.js';
import type { Day } from '../../core/windows.js';
import type { UltimateConfig } from './config.js';

export class UltimateClient {
  /** The Data Export API itself: paced by max_requests_per_second. */
  private readonly api: HttpClient;
  /** Signed-URL downloads go to the file store, not the API: not paced, only bounded in concurrency. */
  private readonly files: HttpClient;

  constructor(private readonly config: UltimateConfig) {
    this.api = new HttpClient({
      vendor: 'Ultimate',
      concurrency: 2,
      limits: [perSecond(config.max_requests_per_second)],
    });
    this.files = new HttpClient({ vendor: 'Ultimate file store', concurrency: 4 });
  }

  private get endpoint(): string {
    return `${this.config.base_url.replace(/\/+$/, '')}/data-export/${this.config.api_version}/get-signed-urls`;
  }

  /**
   * The signed URLs of one bot's export day, or `null` when the day is not ready: the API says 404,
   * or answers with no URLs (undocumented; treated as "not built yet", never as "no data").
   */
  async signedUrls(botId: string, day: Day): Promise<string[] | null> {
    const body = JSON.stringify({ date: day, ...(this.config.url_ttl_minutes ? { ttl: this.config.url_ttl_minutes } : {}) });
    const { status, data } = await this.api
      .json<Record<string, unknown>>({
        method: 'POST',
        url: this.endpoint,
        headers: {
          authorization: this.config.api_key,
          organizationid: this.config.organization_id,
          botid: botId,
          'content-type': 'application/json',
        },
        body,
        passStatuses: [404],
      })
      .catch((error: unknown) => {
        if (error instanceof HttpError && error.status === 400 && /range|30 days|too old/i.test(error.message)) {
          throw new SystemError(`${error.message} (bot ${botId}, day ${day}). Older exports need Ultimate support; set start_date within history_days.`);
        }
        throw error;
      });
    if (status === 404) return null;
    // The key is undocumented: clients read `urls`; some answers use `signed_urls`.
    const urls = data?.urls ?? data?.signed_urls;
    if (urls === undefined || urls === null) return null;
    if (!Array.isArray(urls) || urls.some((u) => typeof u !== 'string')) {
      throw new SystemError(`Ultimate answered the signed-URL request for bot ${botId}, day ${day} without a list of URLs (keys: ${Object.keys(data ?? {}).join(', ')}).`);
    }
    return urls.length === 0 ? null : (urls as string[]);
  }

  /** Record texts of one export file in batches, resuming after cuts and renewing an expired URL by file name. */
  fileRecords(botId: string, day: Day, url: string): AsyncGenerator<string[]> {
    const name = fileName(url);
    return downloadRecordTexts({
      http: this.files,
      url,
      label: `bot ${botId} day ${day} file ${name}`,
      renewUrl: async () => {
        const fresh = await this.signedUrls(botId, day);
        const match = fresh?.find((candidate) => fileName(candidate) === name);
        if (!match) throw new SystemError(`Ultimate no longer lists ${name} for bot ${botId}, day ${day}; rerun the sync.`);
        return match;
      },
    });
  }
}

/** The file name of a signed URL (its path's last part, query dropped). */
export function fileName(url: string): string {
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}
