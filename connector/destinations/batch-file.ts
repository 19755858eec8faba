/**
 * A batch of rows staged in a local file, appended through one reused 1 MiB buffer and emptied after
 * each commit. The DuckDB destination fills it with delimited rows, the BigQuery one with NDJSON for
 * load jobs.
 * - Lines are encoded into the buffer as they come. Joining them into one 1 MiB string first made V8
 *   flatten it into a fresh large-object allocation per write: ~12 % of a sync's page faults.
 * - The next batch overwrites the file from its start and `finish` cuts off what is left of the
 *   previous one: truncating to zero and growing the file again measured ~1.5 % of a sync's CPU
 *   (the kernel frees and allocates every page of a ~25 MB file per commit).
 */
import fs from 'node:fs';

const BUFFER_BYTES = 1 << 20;

export class BatchFile {
  private fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  /** Bytes in the buffer, not yet written. */
  private used = 0;
  /** Bytes written to the file for this batch (where the next write goes). */
  private written = 0;
  rows = 0;
  /** Characters staged so far (≈ bytes for this mostly-ASCII data). */
  size = 0;
  /** Bytes of the longest line appended to this batch (a reader's line limit can be sized to it). */
  longestLine = 0;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'w');
  }

  append(line: string): void {
    this.rows++;
    this.size += line.length;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8, so this bound never truncates.
    if (this.used + line.length * 3 > BUFFER_BYTES) {
      this.drain();
      if (line.length * 3 > BUFFER_BYTES) {
        const bytes = fs.writeSync(this.fd, line, this.written, 'utf8');
        this.written += bytes;
        if (bytes > this.longestLine) this.longestLine = bytes;
        return;
      }
    }
    const bytes = this.buffer.write(line, this.used);
    this.used += bytes;
    if (bytes > this.longestLine) this.longestLine = bytes;
  }

  /** Writes buffered bytes and leaves the file ready to be read: this batch's bytes, nothing after them. */
  finish(): void {
    this.drain();
    if (fs.fstatSync(this.fd).size > this.written) fs.ftruncateSync(this.fd, this.written);
  }

  /** Empties the batch; the next one is written over this one's bytes. */
  reset(): void {
    this.used = 0;
    this.rows = 0;
    this.size = 0;
    this.longestLine = 0;
    this.written = 0;
  }

  close(): void {
    fs.closeSync(this.fd);
    fs.rmSync(this.path, { force: true });
  }

  private drain(): void {
    let offset = 0;
    while (offset < this.used) offset += fs.writeSync(this.fd, this.buffer, offset, this.used - offset, this.written + offset);
    this.written += this.used;
    this.used = 0;
  }
}
