// Writes a large, lazily generated response body (an export file) with backpressure, optional gzip,
// and the "truncated download" fault: the client is promised the whole body, gets about half, and
// then the connection drops — what a flaky network or a restarted storage node looks like.
import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { constants as zlibConstants, createGzip } from 'node:zlib';

export interface StreamedBody {
  contentType: string;
  /**
   * The uncompressed body, produced lazily in chunks so a 100 MB file never sits in memory: text, or
   * bytes for a binary file (a zip archive).
   */
  chunks: Iterable<string | Uint8Array>;
  /** Byte length of the uncompressed body; sent as Content-Length unless gzip. */
  byteLength?: number;
  /** Compress on the fly: the file itself is gzip (no Content-Encoding), so it is sent chunked. */
  gzip?: boolean;
}

/** Resolves on 'drain', or on 'close' so an aborted client never leaves the writer hanging. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

export async function writeStreamedBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: StreamedBody,
  truncate: boolean,
): Promise<void> {
  const head: Record<string, string> = { ...headers, 'content-type': body.contentType };
  if (!body.gzip && body.byteLength !== undefined) head['content-length'] = String(body.byteLength);
  res.writeHead(status, head);

  const gzip = body.gzip ? createGzip({ level: 1 }) : undefined; // fastest level: the simulator must not be a bench's bottleneck
  gzip?.pipe(res);
  const sink: Writable = gzip ?? res;

  // Where to cut, in uncompressed bytes: half the body; without a known length, half the first chunk.
  let cutAt = truncate && body.byteLength !== undefined ? Math.floor(body.byteLength / 2) : Infinity;
  let written = 0;
  for (const chunk of body.chunks) {
    if (res.destroyed) return;
    const size = Buffer.byteLength(chunk);
    if (truncate && cutAt === Infinity) cutAt = Math.floor(size / 2);
    if (written + size > cutAt) {
      await cutConnection(res, sink, gzip, Buffer.from(chunk).subarray(0, cutAt - written));
      return;
    }
    written += size;
    if (!sink.write(chunk)) await drained(sink);
  }
  sink.end();
}

/** Sends the last partial piece (flushed through gzip so its bytes really leave), then drops the socket. */
async function cutConnection(
  res: ServerResponse,
  sink: Writable,
  gzip: ReturnType<typeof createGzip> | undefined,
  piece: Buffer,
): Promise<void> {
  await new Promise<void>((resolve) => sink.write(piece, () => resolve()));
  if (gzip) await new Promise<void>((resolve) => gzip.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve()));
  await new Promise<void>((resolve) => setImmediate(resolve));
  res.destroy();
}
