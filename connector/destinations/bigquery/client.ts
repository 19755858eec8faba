/**
 * The BigQuery client for a destination config: service-account JSON when given (a secret), else
 * Application Default Credentials; `api_endpoint` points it at another server (the local emulator),
 * which takes no credentials.
 */
import { BigQuery, type BigQueryOptions, type Job } from '@google-cloud/bigquery';
import { ConfigError, SystemError, TransientError } from '../../core/errors.js';
import { registerSecret } from '../../core/redact.js';
import { CREDENTIALS_FIELD, parseServiceAccountKey, serviceAccountKeyProblem } from './credentials.js';

export interface BigQueryDestinationConfig {
  type: 'bigquery';
  project_id: string;
  dataset: string;
  location: string;
  credentials_json?: string;
  api_endpoint?: string;
  /** Commit at the first STATE this many seconds after the last commit (default 30). */
  commit_seconds?: number;
}

export function bigQueryClient(config: BigQueryDestinationConfig): BigQuery {
  const options: BigQueryOptions = { projectId: config.project_id, location: config.location };
  if (config.credentials_json) {
    registerSecret(config.credentials_json);
    const problem = serviceAccountKeyProblem(config.credentials_json);
    if (problem) throw new ConfigError(`${CREDENTIALS_FIELD}: ${problem}`);
    const credentials = parseServiceAccountKey(config.credentials_json);
    registerSecret(credentials.private_key);
    options.credentials = { client_email: credentials.client_email, private_key: credentials.private_key };
  }
  if (config.api_endpoint) {
    options.apiEndpoint = config.api_endpoint;
    // Another endpoint (the emulator) takes no credentials. Without an auth client the library sends
    // file uploads (load jobs) without a headers object and crashes; this one adds no headers.
    if (!config.credentials_json) options.authClient = noCredentials as unknown as BigQueryOptions['authClient'];
  }
  return new BigQuery(options);
}

const noCredentials = {
  getRequestHeaders: async () => ({}),
  getAccessToken: async () => ({ token: 'none' }),
};

/**
 * Runs a query job with a fixed job id and waits for it. If the id already exists (a retry after the
 * first attempt reached BigQuery), it waits for that job instead of running the query twice.
 */
export async function runQueryJob(bigquery: BigQuery, query: string, jobId: string, location: string): Promise<Job> {
  let job: Job;
  try {
    [job] = await bigquery.createQueryJob({ query, jobId, location });
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw wrap(error, `query job ${jobId}`);
    job = bigquery.job(jobId, { location });
  }
  try {
    await job.getQueryResults({ maxResults: 0 });
  } catch (error) {
    throw wrap(error, `query job ${jobId}`);
  }
  return job;
}

export function wrap(error: unknown, what: string): Error {
  const e = error as { code?: number; message?: string };
  const message = `BigQuery ${what} failed${e.code ? ` (${e.code})` : ''}: ${e.message ?? String(error)}`;
  if (e.code === 401 || e.code === 403) return new ConfigError(`${message}. Check the service account's roles (BigQuery Data Editor and Job User on the dataset/project).`);
  if (e.code === 429 || (e.code !== undefined && e.code >= 500)) return new TransientError(message);
  return new SystemError(message);
}
