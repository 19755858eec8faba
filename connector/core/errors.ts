/**
 * Error classes with an Airbyte failure type. A user mistake (bad config, bad catalog) is a
 * `ConfigError`: its message is shown as-is, with no stack trace. Anything retriable that still
 * failed after retries is a `TransientError`; a bug or an unexpected vendor answer is a `SystemError`.
 */
export type FailureType = 'config_error' | 'system_error' | 'transient_error';

export class ParleyError extends Error {
  readonly failureType: FailureType;
  constructor(message: string, failureType: FailureType, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.failureType = failureType;
  }
}

export class ConfigError extends ParleyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'config_error', options);
  }
}

export class TransientError extends ParleyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'transient_error', options);
  }
}

export class SystemError extends ParleyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'system_error', options);
  }
}

/** Whatever was thrown, as a ParleyError (unknown errors are system errors). */
export function asParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  if (error instanceof Error) return new SystemError(error.message, { cause: error });
  return new SystemError(String(error));
}
