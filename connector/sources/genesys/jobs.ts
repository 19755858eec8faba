/**
 * Genesys Cloud Conversation Detail jobs as an `AsyncJobDriver` (connector/core/streams/jobs.ts):
 * the vendor's paths, state names and page shape; submit/poll/page/release, the ledger and their
 * retry rules live in core. One job per window; results are cursor-paged conversations. The job
 * handle (kept in the state's ledger) is the jobId.
 */
import type { Batch, JobSpec } from '../../core/streams/declare.js';
import { ResultsExpiredError, type AsyncJobDriver, type JobPoll } from '../../core/streams/jobs.js';
import { cursorPages } from '../../core/paging.js';
import { readErrorMessage, readJson, readJsonWithArray, type HttpRequest } from '../../core/http.js';
import type { ClientCredentialsAuth } from '../../core/oauth.js';
import { SystemError } from '../../core/errors.js';
import type { PiiPolicy } from '../../core/pii.js';
import { scrubConversation } from './personal.js';

export const JOBS_PATH = '/api/v2/analytics/conversations/details/jobs';

export interface GenesysResultsPage {
  conversations: Array<Record<string, unknown>>;
  dataAvailabilityDate?: string;
  cursor?: string;
}

const VENDOR = 'Genesys Cloud';
/** Conversations parsed and handed on together from one results page. */
const SLICE = 100;

/** The data lake's availability date (data before it is complete). */
export async function dataAvailabilityDate(auth: ClientCredentialsAuth, apiBase: string): Promise<string> {
  const request: HttpRequest = { method: 'GET', url: `${apiBase}${JOBS_PATH}/availability`, headers: { accept: 'application/json' } };
  const body = (await readJson<{ dataAvailabilityDate?: unknown }>(await auth.send(request), VENDOR, request)) ?? {};
  if (typeof body.dataAvailabilityDate !== 'string' || Number.isNaN(Date.parse(body.dataAvailabilityDate))) {
    throw new SystemError('Genesys Cloud answered the availability request without a dataAvailabilityDate');
  }
  return body.dataAvailabilityDate;
}

/** `pii`: how the personal fields of each conversation are kept, before the engine sees it (personal.ts). */
export function conversationDetailJobs(auth: ClientCredentialsAuth, apiBase: string, pageSize: number, pii: PiiPolicy): AsyncJobDriver<JobSpec, string, Batch<Record<string, unknown>>> {
  const jobUrl = (jobId: string) => `${apiBase}${JOBS_PATH}/${encodeURIComponent(jobId)}`;
  return {
    describe: ({ window }) => `${window.start}/${window.end}`,

    async submit({ window: interval }) {
      const request: HttpRequest = {
        method: 'POST',
        url: `${apiBase}${JOBS_PATH}`,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ interval: `${interval.start}/${interval.end}`, order: 'asc', orderBy: 'conversationStart' }),
      };
      const body = (await readJson<{ jobId?: unknown }>(await auth.send(request), VENDOR, request)) ?? {};
      if (typeof body.jobId !== 'string' || body.jobId === '') throw new SystemError('Genesys Cloud accepted a detail job without returning its jobId');
      return body.jobId;
    },

    async poll(jobId): Promise<JobPoll> {
      const request: HttpRequest = { method: 'GET', url: jobUrl(jobId), headers: { accept: 'application/json' }, passStatuses: [404] };
      const response = await auth.send(request);
      if (response.status === 404) {
        await readErrorMessage(response.body);
        return { state: 'resubmit', message: `job ${jobId} no longer exists (404)` };
      }
      const body = (await readJson<{ state?: unknown; errorMessage?: unknown }>(response, VENDOR, request)) ?? {};
      const message = typeof body.errorMessage === 'string' && body.errorMessage ? body.errorMessage : `job ended ${String(body.state)}`;
      switch (body.state) {
        case 'QUEUED':
        case 'PENDING':
          return { state: 'running' };
        case 'FULFILLED':
          return { state: 'fulfilled' };
        case 'FAILED':
        case 'CANCELLED':
        case 'EXPIRED':
          return { state: 'resubmit', message };
        default:
          return { state: 'failed', message: `unknown job state ${JSON.stringify(body.state)}` };
      }
    },

    async *pages(jobId) {
      let number = 0;
      for await (const page of cursorPages(async (cursor) => {
        const query = new URLSearchParams({ pageSize: String(pageSize), ...(cursor ? { cursor } : {}) });
        const request: HttpRequest = { method: 'GET', url: `${jobUrl(jobId)}/results?${query}`, headers: { accept: 'application/json' }, passStatuses: [404] };
        const response = await auth.send(request);
        if (response.status === 404) {
          await readErrorMessage(response.body);
          throw new ResultsExpiredError(`results of job ${jobId} are gone`);
        }
        const read = await readJsonWithArray<Omit<GenesysResultsPage, 'conversations'>>(response, VENDOR, request, 'conversations');
        return { cursor: read?.body?.cursor, read };
      })) {
        // A page's conversations are parsed a slice at a time (core/json-array-split.ts says why);
        // `offset` keeps each one's index in the page for its quarantine locator.
        const origin = `page=${++number}`;
        const { read } = page;
        if (!read || read.count === 0) {
          yield { items: [], origin, offset: 0 };
          continue;
        }
        for (let from = 0; from < read.count; from += SLICE) {
          const items = read.take(from, Math.min(read.count, from + SLICE)) as Array<Record<string, unknown>>;
          yield { items: items.map((c) => scrubConversation(c, pii)), origin, offset: from };
        }
      }
    },

    async release(jobId) {
      const response = await auth.send({ method: 'DELETE', url: jobUrl(jobId), passStatuses: [404] });
      await readErrorMessage(response.body);
    },
  };
}
