/**
 * Reads a submit body (seed 000's shape) into an ExhaustRequest, or says which field is wrong (the
 * server answers 400 with that message). What the real service accepts and only fails later, in
 * the batch, is accepted here too: a missing conversationId becomes a FAILED job, not a 400.
 */
import { SUNBIRD_DATASETS, type ExhaustRequest, type SunbirdDataset } from './jobs.js';

/** A body the service refuses; the message names the field. */
export class SubmitBodyError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDataset = (v: unknown): v is SunbirdDataset => SUNBIRD_DATASETS.includes(v as SunbirdDataset);

function day(config: Record<string, unknown>, field: 'startDate' | 'endDate'): string {
  const value = config[field];
  const ok = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  if (!ok) throw new SubmitBodyError(`request.datasetConfig.${field} must be a date yyyy-MM-dd, got ${JSON.stringify(value ?? null)}`);
  return value;
}

function requiredString(request: Record<string, unknown>, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value === '') throw new SubmitBodyError(`request.${field} is required (a non-empty string)`);
  return value;
}

export function parseSubmitBody(body: Buffer, channel: string): ExhaustRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SubmitBodyError('The request body is not valid JSON');
  }
  if (!isObject(parsed) || !isObject(parsed.request)) throw new SubmitBodyError('request is required (an object)');
  const request = parsed.request;
  if (!isDataset(request.dataset)) throw new SubmitBodyError(`request.dataset must be one of ${SUNBIRD_DATASETS.join(', ')}`);
  const tag = requiredString(request, 'tag');
  const requestedBy = requiredString(request, 'requestedBy');
  const config = request.datasetConfig;
  if (!isObject(config)) throw new SubmitBodyError('request.datasetConfig is required (an object)');
  if (!isDataset(config.type)) throw new SubmitBodyError(`request.datasetConfig.type must be one of ${SUNBIRD_DATASETS.join(', ')}`);
  if (config.conversationId !== undefined && config.conversationId !== null && typeof config.conversationId !== 'string') {
    throw new SubmitBodyError('request.datasetConfig.conversationId must be a string');
  }
  if (request.output_format !== undefined && request.output_format !== 'csv') throw new SubmitBodyError('request.output_format must be "csv"');
  if (request.encryptionKey !== undefined && (typeof request.encryptionKey !== 'string' || request.encryptionKey === '')) {
    throw new SubmitBodyError('request.encryptionKey must be a non-empty string when given');
  }
  // The private exhaust ignores dates altogether; the response exhaust needs both, in order.
  let startDate: string | undefined;
  let endDate: string | undefined;
  if (request.dataset === 'uci-response-exhaust') {
    startDate = day(config, 'startDate');
    endDate = day(config, 'endDate');
    if (endDate < startDate) throw new SubmitBodyError('request.datasetConfig.endDate must not be before startDate');
  }
  return {
    dataset: request.dataset,
    tag,
    requestedBy,
    channel,
    type: config.type,
    datasetConfig: structuredClone(config),
    conversationId: typeof config.conversationId === 'string' && config.conversationId !== '' ? config.conversationId : undefined,
    startDate,
    endDate,
    encryptionKey: typeof request.encryptionKey === 'string' ? request.encryptionKey : undefined,
  };
}
