/**
 * A file download that survives a connection cut mid-body: on a network error while streaming, it
 * fetches the file again (with core/wait.ts's backoff) and skips the records it already handed out, so a caller sees
 * each record once. Signed URLs that expired are renewed through `renewUrl`.
 */
import zlib from 'node:zlib';
import { ConfigError, SystemError, TransientError } from './errors.js';
import { failpoint } from './failpoint.js';
import { readErrorMessage, type HttpClient } from './http.js';
import { logger } from './log.js';
import { recordTextBatches } from './records-stream.js';
import { redactUrl } from './redact.js';
import { backoffDelayMs, defaultRetryPolicy, sleep } from './wait.js';

export interface DownloadOptions {
  http: HttpClient;
  url: string;
  /** Name for messages, e.g. the file name. */
  label: string;
  /** Called when the URL answered 403/400 "expired": returns a fresh URL for the same file. */
  renewUrl?: () => Promise<string>;
  /** How often a broken body is fetched again before giving up. Default 5. */
  maxRestarts?: number;
  /** Whether a 400/403 answer means the signed URL expired (renew it). Default: the message says expired / signature. */
  isExpired?: (status: number, message: string) => boolean;
}

const log = logger('download');
let bytesDownloaded = 0;

/** Bytes received over the wire by every download of this process (as sent: gzip counts compressed). */
export function downloadedBytes(): number {
  return bytesDownloaded;
}

async function* counted(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of body) {
    bytesDownloaded += chunk.length;
    yield chunk;
  }
}
const EXPIRED = /expired|ExpiredToken|signature/i;

/** Record texts of the file, in batches (see recordTextBatches); gzip is inflated. */
export function downloadRecordTexts(options: DownloadOptions): AsyncGenerator<string[]> {
  return downloadBatches({ ...options, split: (bytes) => recordTextBatches(maybeGunzip(bytes)) });
}

/**
 * The file's items in batches, as `split` cuts its bytes (record texts, CSV rows): a body that
 * breaks is fetched again and the items already handed out are skipped.
 */
export async function* downloadBatches<T>(options: DownloadOptions & { split: (bytes: AsyncIterable<Buffer>) => AsyncIterable<T[]> }): AsyncGenerator<T[]> {
  const policy = defaultRetryPolicy();
  const maxRestarts = options.maxRestarts ?? 5;
  let url = options.url;
  let handedOut = 0;
  let renewals = 0;
  for (let restart = 0; ; restart++) {
    const response = await options.http.send({ method: 'GET', url, passStatuses: [400, 403] });
    if (response.status === 400 || response.status === 403) {
      const text = await readErrorMessage(response.body);
      const expired = options.isExpired ? options.isExpired(response.status, text) : EXPIRED.test(text);
      if (options.renewUrl && expired && renewals < 3) {
        renewals++;
        log.info(`${options.label}: signed URL expired; asking for a fresh one`);
        url = await options.renewUrl();
        restart--;
        continue;
      }
      throw new TransientError(`Download of ${options.label} refused (GET ${redactUrl(url)} → ${response.status}); the signed URL may have expired. Rerun the sync.`);
    }
    let index = 0;
    try {
      for await (const batch of options.split(counted(response.body))) {
        // After a restart, skip what was handed out before the cut.
        const fresh = index + batch.length <= handedOut ? [] : index >= handedOut ? batch : batch.slice(handedOut - index);
        index += batch.length;
        if (fresh.length === 0) continue;
        const first = handedOut === 0;
        handedOut += fresh.length;
        yield fresh;
        if (first) failpoint('download.mid-file', options.label); // the file's first batch is handed on, the rest of its body not read
      }
      return;
    } catch (error) {
      // A verdict on the content (a malformed file, one too large) is not a broken body: no refetch.
      if (error instanceof SystemError || error instanceof ConfigError) throw error;
      if (restart >= maxRestarts) {
        throw new TransientError(`Download of ${options.label} broke ${restart + 1} times (${(error as Error).message}); rerun the sync.`);
      }
      const delay = backoffDelayMs(policy.backoff, restart + 1);
      log.warn(`${options.label}: body broke after ${handedOut} records (${(error as Error).message}); fetching it again in ${delay} ms`);
      response.body.destroy();
      await sleep(delay);
    }
  }
}

/** Passes plain bytes through and inflates gzip (detected by its magic bytes, whatever the headers say). */
async function* maybeGunzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => iterator };
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    yield* rest;
    return;
  }
  const gunzip = zlib.createGunzip();
  const feed = (async () => {
    gunzip.write(head);
    for await (const chunk of rest) {
      if (!gunzip.write(chunk)) await new Promise((resolve) => gunzip.once('drain', resolve));
    }
    gunzip.end();
  })().catch((error: Error) => gunzip.destroy(error));
  yield* gunzip as AsyncIterable<Buffer>;
  await feed;
}
