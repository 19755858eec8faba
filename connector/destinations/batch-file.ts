/**
 * A batch of rows staged in a local file, appended in ~1 MiB writes and emptied after each commit.
 * The DuckDB destination fills it with delimited rows, the BigQuery one with NDJSON for load jobs.
 */
import fs from 'node:fs';

export class BatchFile {
  private fd: number;
  private buffer = '';
  rows = 0;
  /** Characters staged so far (≈ bytes for this mostly-ASCII data). */
  size = 0;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'w');
  }

  append(line: string): void {
    this.buffer += line;
    this.rows++;
    this.size += line.length;
    if (this.buffer.length >= 1 << 20) this.drain();
  }

  /** Writes buffered text and leaves the file ready to be read. */
  finish(): void {
    this.drain();
  }

  /** Empties the file for the next batch. */
  reset(): void {
    this.buffer = '';
    this.rows = 0;
    this.size = 0;
    fs.ftruncateSync(this.fd, 0);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.path, 'w');
  }

  close(): void {
    fs.closeSync(this.fd);
    fs.rmSync(this.path, { force: true });
  }

  private drain(): void {
    if (this.buffer) fs.writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}
