/**
 * Sunbird exhaust requests as an `AsyncJobDriver` (core/streams/jobs.ts): the engine submits one per
 * (bot, window), polls it, keeps it in the state's job ledger while the vendor's daily batch has not
 * run (hours), resubmits failures and gives up on requests stuck SUBMITTED; this file says only what
 * Sunbird's calls and states are.
 *
 * - Tag: unique per (account, dataset, bot, window, attempt) and deterministic. The server's requestId
 *   is an MD5 of dataset, tag, requester, channel, the submit DAY and type, so a second submit under
 *   one tag on the same day returns the FIRST job whatever its dates: a window's own tag guarantees
 *   the job is that window's (a sync killed after a submit gets the same job back the same day, not
 *   another window's); a new attempt gets a new tag, so a failed request is asked for afresh.
 * - FAILED "No data found" is an empty window (loaded, with no rows); other failures are resubmitted.
 * - Download URLs are signed anew on every read and expire ~30 minutes later: the request is read
 *   right before each file, and again when a download is refused.
 */
import crypto from 'node:crypto';
import { configure, TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import type { Batch, JobSpec } from '../../core/streams/declare.js';
import type { AsyncJobDriver, JobPoll } from '../../core/streams/jobs.js';
import { csvBatches, type CsvBatch } from '../../core/csv.js';
import { downloadBatches } from '../../core/download.js';
import { ConfigError, SystemError } from '../../core/errors.js';
import type { PiiPolicy } from '../../core/pii.js';
import { addDays } from '../../core/windows.js';
import { PRIVATE_EXHAUST, RESPONSE_EXHAUST, UnknownRequestError, VENDOR, type Dataset, type ExhaustJob, type SunbirdClient } from './client.js';
import { responseItem, userItem, type ResponseItem, type UserItem } from './record.js';

configure({ useWebWorkers: false });

/** What the ledger keeps of a request: enough to read it again in a later sync (no secret). */
export interface ExhaustHandle {
  dataset: Dataset;
  tag: string;
  requestId: string;
  botId: string;
  startDate: string;
  endDate: string;
}

const NO_DATA = /no data found/i;
/** Spark's CSV writer escapes a quote inside a quoted cell with a backslash. */
const SPARK_ESCAPE = '\\';
const ZIP_LIMIT_BYTES = 1024 * 1024 * 1024;

/** A UUID-shaped tag from the request's identity (the server wants a tag; the seed's are UUIDs). */
export function requestTag(instance: string, dataset: Dataset, botId: string, startDate: string, endDate: string, attempt: number): string {
  const hex = crypto.createHash('sha256').update([instance, dataset, botId, startDate, endDate, attempt].join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The file name of a download URL (its path's last part; the query holds the signature). */
function fileName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);
}

interface Outcome {
  status: 'loaded' | 'empty';
  files: number;
  completedAt: string | null;
}

interface DriverOptions {
  client: SunbirdClient;
  instance: string;
  /** The private exhaust: personal cells kept per pii, and the zip's password. */
  pii: PiiPolicy;
  encryptionKey?: string;
}

abstract class ExhaustDriver<Item> implements AsyncJobDriver<JobSpec, ExhaustHandle, Batch<Item>> {
  protected readonly outcomes = new Map<string, Outcome>();

  constructor(
    protected readonly dataset: Dataset,
    protected readonly options: DriverOptions,
  ) {}

  describe({ partition, window }: JobSpec): string {
    return `${partition} ${window.start.slice(0, 10)}…${addDays(window.end.slice(0, 10), -1)}`;
  }

  async submit({ partition: botId, window }: JobSpec, _signal: AbortSignal, attempt: number): Promise<ExhaustHandle> {
    const startDate = window.start.slice(0, 10);
    const endDate = addDays(window.end.slice(0, 10), -1); // the request's endDate is inclusive
    const tag = requestTag(this.options.instance, this.dataset, botId, startDate, endDate, attempt);
    const job = await this.options.client.submit(this.dataset, tag, botId, startDate, endDate);
    const asked = job.datasetConfig;
    if (this.dataset === RESPONSE_EXHAUST && asked && (asked.startDate !== startDate || asked.endDate !== endDate || asked.conversationId !== botId)) {
      // Only possible if the tag were reused: the server answers with the first job of a requestId.
      throw new SystemError(
        `${VENDOR} answered the request for bot ${botId} ${startDate}…${endDate} with request ${job.requestId} for ${asked.conversationId} ${asked.startDate}…${asked.endDate}; Parley does not load another window's data`,
      );
    }
    return { dataset: this.dataset, tag, requestId: job.requestId, botId, startDate, endDate };
  }

  async poll(handle: ExhaustHandle): Promise<JobPoll> {
    let job: ExhaustJob;
    try {
      job = await this.options.client.read(handle.tag, handle.requestId);
    } catch (error) {
      if (error instanceof UnknownRequestError) return { state: 'resubmit', message: `the vendor no longer knows request ${handle.requestId} (${error.message})` };
      throw error;
    }
    switch (job.status) {
      case 'SUCCESS':
        this.outcomes.set(handle.requestId, { status: 'loaded', files: job.downloadUrls.length, completedAt: completedAt(job) });
        return { state: 'fulfilled' };
      case 'FAILED': {
        const message = job.statusMessage?.trim() || 'FAILED without a statusMessage';
        if (NO_DATA.test(message)) {
          this.outcomes.set(handle.requestId, { status: 'empty', files: 0, completedAt: completedAt(job) });
          return { state: 'fulfilled' };
        }
        if (/conversationId/i.test(message)) return { state: 'failed', message: `${message} (check bot_ids: ${handle.botId})` };
        return { state: 'resubmit', message: `request ${handle.requestId} FAILED: ${message}` };
      }
      case 'SUBMITTED':
      case 'PROCESSING':
        return { state: 'running' };
      default:
        return { state: 'failed', message: `request ${handle.requestId} has a status Parley does not know: ${JSON.stringify(job.status)}` };
    }
  }

  async *pages(handle: ExhaustHandle): AsyncGenerator<Batch<Item>> {
    if (this.outcomes.get(handle.requestId)?.status === 'empty') return;
    // Read right before downloading: the URLs of the poll may be close to expiring.
    const urls = (await this.options.client.read(handle.tag, handle.requestId)).downloadUrls;
    this.outcomes.set(handle.requestId, { ...(this.outcomes.get(handle.requestId) ?? { status: 'loaded', completedAt: null }), files: urls.length });
    for (const first of urls) {
      const name = fileName(first);
      const fresh = async (): Promise<string> => {
        const job = await this.options.client.read(handle.tag, handle.requestId);
        const url = job.downloadUrls.find((u) => fileName(u) === name);
        if (!url) throw new SystemError(`${VENDOR} request ${handle.requestId} no longer lists the file ${name}`);
        return url;
      };
      yield* this.file(name, first, fresh);
    }
  }

  protected abstract file(name: string, url: string, fresh: () => Promise<string>): AsyncGenerator<Batch<Item>>;

  /** A list call: the credentials, the channel header and the admin role, without submitting anything. */
  async checkAccess(): Promise<void> {
    await this.options.client.list('parley-connection-check', 1);
  }

  async release(): Promise<void> {
    // The Exhaust API has no delete: a request stays listed on the vendor's side.
  }

  facts(handle: ExhaustHandle): Record<string, unknown> {
    const outcome = this.outcomes.get(handle.requestId);
    return { status: outcome?.status ?? 'loaded', request_id: handle.requestId, tag: handle.tag, file_count: outcome?.files ?? 0, completed_at: outcome?.completedAt ?? null };
  }
}

function completedAt(job: ExhaustJob): string | null {
  const ms = job.jobStats?.dtJobCompleted;
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The response exhaust: one CSV per ingestion day, streamed row batches. */
export class ResponseExhaust extends ExhaustDriver<ResponseItem> {
  constructor(options: DriverOptions) {
    super(RESPONSE_EXHAUST, options);
  }

  protected async *file(name: string, url: string, fresh: () => Promise<string>): AsyncGenerator<Batch<ResponseItem>> {
    let offset = 0;
    const batches = downloadBatches<ResponseItem>({
      http: this.options.client.http,
      url,
      label: name,
      renewUrl: fresh,
      isExpired: (status) => status === 403, // any refusal: read the request again for a fresh URL
      split: (bytes) => itemBatches(csvBatches(bytes, { escapeChar: SPARK_ESCAPE, label: name }), (batch) => batch.rows.map((row) => responseItem(name, batch.header, row))),
    });
    for await (const items of batches) {
      yield { items, origin: `file=${name}`, offset };
      offset += items.length;
    }
  }
}

async function* itemBatches<Item>(source: AsyncIterable<CsvBatch>, map: (batch: CsvBatch) => Item[]): AsyncGenerator<Item[]> {
  for await (const batch of source) yield map(batch);
}

/** The private exhaust: a zip (password-protected with the encryption key) of one CSV of users. */
export class PrivateExhaust extends ExhaustDriver<UserItem> {
  constructor(options: DriverOptions) {
    super(PRIVATE_EXHAUST, options);
  }

  protected async *file(name: string, url: string, fresh: () => Promise<string>): AsyncGenerator<Batch<UserItem>> {
    const bytes = await this.download(name, url, fresh);
    const reader = new ZipReader(new Uint8ArrayReader(bytes), this.options.encryptionKey !== undefined ? { password: this.options.encryptionKey } : {});
    let entries;
    try {
      entries = await reader.getEntries();
    } catch (error) {
      throw new SystemError(`${VENDOR} private exhaust ${name} is not a readable zip (${(error as Error).message})`);
    }
    for (const entry of entries) {
      if (entry.directory || !/\.csv$/i.test(entry.filename)) continue;
      let text: string;
      try {
        text = await entry.getData!(new TextWriter());
      } catch (error) {
        const message = (error as Error).message;
        if (/password|encrypted/i.test(message)) {
          throw new ConfigError(
            `encryption_key: the private exhaust ${name} could not be opened (${message}). Set encryption_key to the key the file was requested with` +
              `${this.options.encryptionKey === undefined ? ' (none is set)' : ''}.`,
          );
        }
        throw new SystemError(`${VENDOR} private exhaust ${name}: ${entry.filename} could not be read (${message})`);
      }
      let offset = 0;
      const origin = `file=${name}/${entry.filename}`;
      for await (const batch of csvBatches([text], { escapeChar: SPARK_ESCAPE, label: `${name}/${entry.filename}` })) {
        const items = batch.rows.map((row) => userItem(`${name}/${entry.filename}`, row, this.options.pii));
        yield { items, origin, offset };
        offset += items.length;
      }
    }
    await reader.close();
  }

  /**
   * The whole zip (a zip is read from its end): one batch holding every byte, through the shared
   * download (fresh URLs on a refusal, a broken body fetched again).
   */
  private async download(name: string, url: string, fresh: () => Promise<string>): Promise<Uint8Array> {
    const whole = downloadBatches<Buffer>({
      http: this.options.client.http,
      url,
      label: name,
      renewUrl: fresh,
      isExpired: (status) => status === 403,
      split: (bytes) => wholeBody(bytes, name),
    });
    for await (const [body] of whole) return new Uint8Array(body!);
    return new Uint8Array();
  }
}

/** Collects a body into one buffer (one batch of one item), refusing more than ZIP_LIMIT_BYTES. */
async function* wholeBody(source: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > ZIP_LIMIT_BYTES) throw new SystemError(`${VENDOR} private exhaust ${name} is larger than 1 GiB`);
    chunks.push(chunk);
  }
  yield [Buffer.concat(chunks)];
}
