/**
 * Sunbird's exhaust job store: the rules of the request API that do not depend on HTTP or data
 * (sources.md §4, /work contract "HTTP API"), kept apart so they read as the spec does.
 * - requestId = upper-case hex MD5 of `dataset|tag|requestedBy|channel|<today, UTC>|type`: the same
 *   request on the same day IS the same job, whatever its dates say.
 * - Submitting an existing requestId returns that job unchanged, except that a FAILED one goes back
 *   to SUBMITTED with attempts + 1.
 * - The batch takes every SUBMITTED job with attempts < SUNBIRD_MAX_ATTEMPTS; one at the cap (it
 *   failed that many times) is skipped, so it stays SUBMITTED forever, as on the real service.
 */
import { createHash } from 'node:crypto';

export type SunbirdDataset = 'uci-response-exhaust' | 'uci-private-exhaust';
export const SUNBIRD_DATASETS: readonly SunbirdDataset[] = ['uci-response-exhaust', 'uci-private-exhaust'];
export type SunbirdJobStatus = 'SUBMITTED' | 'SUCCESS' | 'FAILED';

/** A job resubmitted after this many failures is never run again. */
export const SUNBIRD_MAX_ATTEMPTS = 3;

/** A submit request, validated. */
export interface ExhaustRequest {
  dataset: SunbirdDataset;
  /** The bare tag from the body. */
  tag: string;
  requestedBy: string;
  /** The X-Channel-ID header (the body's requestedChannel is ignored). */
  channel: string;
  /** datasetConfig.type. */
  type: SunbirdDataset;
  /** datasetConfig exactly as submitted (echoed in every job view). */
  datasetConfig: Record<string, unknown>;
  /** Absent or "": the batch fails the job ("Request should have conversationId"). */
  conversationId: string | undefined;
  /** yyyy-MM-dd, both inclusive; required for the response exhaust, ignored by the private one. */
  startDate: string | undefined;
  endDate: string | undefined;
  encryptionKey: string | undefined;
}

export interface ExhaustFile {
  name: string;
  /** Response exhaust: the ingestion day the file holds; private exhaust: the batch day. */
  day: string;
}

export interface ExhaustJob {
  requestId: string;
  /** `<tag>:<channel>`, as stored and returned. */
  tag: string;
  request: ExhaustRequest;
  status: SunbirdJobStatus;
  attempts: number;
  statusMessage: string;
  submittedMs: number;
  lastUpdatedMs: number;
  completedMs: number | null;
  executionMs: number | null;
  files: ExhaustFile[];
  /** Creation order, for "newest first" among equal submission times. */
  seq: number;
}

export type BatchOutcome = { status: 'SUCCESS'; files: ExhaustFile[] } | { status: 'FAILED'; message: string };

export function sunbirdRequestId(r: Pick<ExhaustRequest, 'dataset' | 'tag' | 'requestedBy' | 'channel' | 'type'>, today: string): string {
  return createHash('md5').update(`${r.dataset}|${r.tag}|${r.requestedBy}|${r.channel}|${today}|${r.type}`).digest('hex').toUpperCase();
}

export const storedTag = (tag: string, channel: string) => `${tag}:${channel}`;

export class ExhaustJobStore {
  private readonly jobs = new Map<string, ExhaustJob>();
  private seq = 0;

  /** Creates the job, returns the existing one, or sends a FAILED one back to SUBMITTED. */
  submit(request: ExhaustRequest, nowMs: number): { job: ExhaustJob; outcome: 'created' | 'existing' | 'resubmitted' } {
    const requestId = sunbirdRequestId(request, new Date(nowMs).toISOString().slice(0, 10));
    const existing = this.jobs.get(requestId);
    if (existing) {
      if (existing.status !== 'FAILED') return { job: existing, outcome: 'existing' };
      Object.assign(existing, { status: 'SUBMITTED', attempts: existing.attempts + 1, statusMessage: '', lastUpdatedMs: nowMs, completedMs: null, executionMs: null });
      return { job: existing, outcome: 'resubmitted' };
    }
    const job: ExhaustJob = {
      requestId,
      tag: storedTag(request.tag, request.channel),
      request,
      status: 'SUBMITTED',
      attempts: 0,
      statusMessage: '',
      submittedMs: nowMs,
      lastUpdatedMs: nowMs,
      completedMs: null,
      executionMs: null,
      files: [],
      seq: ++this.seq,
    };
    this.jobs.set(requestId, job);
    return { job, outcome: 'created' };
  }

  /** The job with this requestId under this stored tag (both must match, as on the real service). */
  read(requestId: string, tag: string): ExhaustJob | undefined {
    const job = this.jobs.get(requestId);
    return job?.tag === tag ? job : undefined;
  }

  /** The stored tag's jobs, newest first. */
  list(tag: string, limit: number): ExhaustJob[] {
    return [...this.jobs.values()]
      .filter((job) => job.tag === tag)
      .sort((a, b) => b.submittedMs - a.submittedMs || b.seq - a.seq)
      .slice(0, limit);
  }

  byRequestId(requestId: string): ExhaustJob | undefined {
    return this.jobs.get(requestId);
  }

  all(): ExhaustJob[] {
    return [...this.jobs.values()].sort((a, b) => a.seq - b.seq);
  }

  countByStatus(): Record<SunbirdJobStatus, number> {
    const counts: Record<SunbirdJobStatus, number> = { SUBMITTED: 0, SUCCESS: 0, FAILED: 0 };
    for (const job of this.jobs.values()) counts[job.status]++;
    return counts;
  }

  /**
   * One batch run at `nowMs`: every runnable SUBMITTED job, in submission order, gets `decide`'s
   * outcome. Returns the jobs it ran and the SUBMITTED ones it skipped (at the attempts cap).
   */
  runBatch(nowMs: number, decide: (job: ExhaustJob) => BatchOutcome): { ran: ExhaustJob[]; skipped: ExhaustJob[] } {
    const ran: ExhaustJob[] = [];
    const skipped: ExhaustJob[] = [];
    for (const job of this.all()) {
      if (job.status !== 'SUBMITTED') continue;
      if (job.attempts >= SUNBIRD_MAX_ATTEMPTS) {
        skipped.push(job);
        continue;
      }
      const outcome = decide(job);
      job.lastUpdatedMs = nowMs;
      job.completedMs = nowMs;
      // What a Spark job takes, roughly: a start-up cost and a little per file.
      job.executionMs = outcome.status === 'SUCCESS' ? 4_000 + 350 * outcome.files.length : 2_000;
      if (outcome.status === 'SUCCESS') Object.assign(job, { status: 'SUCCESS', files: outcome.files, statusMessage: '' });
      else Object.assign(job, { status: 'FAILED', files: [], statusMessage: outcome.message });
      ran.push(job);
    }
    return { ran, skipped };
  }
}
