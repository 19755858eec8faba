/**
 * The stdout writer: one JSON message per line and nothing else on stdout. Lines are gathered into
 * ~64 KiB writes, and `write` waits for the pipe to drain so a slow reader applies back-pressure
 * instead of growing memory.
 */
import { redact } from '../core/redact.js';
import type { AirbyteMessage } from './messages.js';

export class MessageWriter {
  private buffer: string[] = [];
  private size = 0;

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  async write(message: AirbyteMessage): Promise<void> {
    const line = JSON.stringify(message);
    this.buffer.push(line);
    this.size += line.length + 1;
    if (this.size >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.size = 0;
    if (!this.out.write(text)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }
}

export const now = () => Date.now();

export function traceStatus(stream: string, status: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE'): AirbyteMessage {
  return { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: now(), stream_status: { stream_descriptor: { name: stream }, status } } };
}

export function traceError(message: string, failureType: 'config_error' | 'system_error' | 'transient_error', internal?: string, stream?: string): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'ERROR',
      emitted_at: now(),
      // Redacted here, once, whoever builds the error: messages and stacks must never carry a secret.
      error: {
        message: redact(message),
        failure_type: failureType,
        ...(internal ? { internal_message: redact(internal) } : {}),
        ...(stream ? { stream_descriptor: { name: stream } } : {}),
      },
    },
  };
}
