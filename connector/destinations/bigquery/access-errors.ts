/**
 * The first BigQuery request of a sync (does the dataset exist?) is where wrong credentials and a
 * wrong project show. Those are user mistakes: each becomes a ConfigError naming the destination
 * field to fix, instead of the client library's message as a system error.
 */
import { ConfigError } from '../../core/errors.js';
import type { BigQueryDestinationConfig } from './client.js';

/** A ConfigError naming the field when `error` is a credentials or project mistake, else undefined. */
export function accessError(error: unknown, config: BigQueryDestinationConfig): ConfigError | undefined {
  const e = error as { code?: number | string; message?: string };
  const message = e.message ?? String(error);
  const adcFile = /GOOGLE_APPLICATION_CREDENTIALS.*?The file at (.+?) does not exist/s.exec(message);
  if (adcFile) {
    return new ConfigError(
      `destination.credentials_json: not given, so Application Default Credentials are used, and GOOGLE_APPLICATION_CREDENTIALS names a key file that does not exist (${adcFile[1]}). ` +
        'Point the variable at the service-account key file, or put the key\'s JSON text in credentials_json.',
    );
  }
  if (/GOOGLE_APPLICATION_CREDENTIALS|credential file/i.test(message)) {
    return new ConfigError(`destination.credentials_json: not given, and the Application Default Credentials file could not be used (${message}). Fix GOOGLE_APPLICATION_CREDENTIALS or put the service-account key's JSON text in credentials_json.`);
  }
  if (/Could not load the default credentials/i.test(message)) {
    return new ConfigError(
      'destination.credentials_json: not given, and no Application Default Credentials were found. Put a service-account key (its JSON text) in credentials_json, or set up ADC: `gcloud auth application-default login`, or GOOGLE_APPLICATION_CREDENTIALS=<key file>.',
    );
  }
  if (/invalid_grant|invalid_client|account not found|DECODER routines|PEM routines|private key/i.test(message)) {
    return new ConfigError(`destination.credentials_json: Google refused the service-account key (${message}). The key may be deleted or disabled: create a new JSON key for the service account and paste the whole file.`);
  }
  if (e.code === 404 && /project\b.*\bnot found|not found: project/i.test(message)) {
    return new ConfigError(
      `destination.project_id: project "${config.project_id}" was not found, or these credentials cannot see it (${message}). Use the project ID (Cloud console → project picker), and give the service account BigQuery Job User on it.`,
    );
  }
  return undefined;
}
