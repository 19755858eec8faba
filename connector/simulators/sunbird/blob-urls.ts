/**
 * Azure-style signed blob URLs for the exhaust files (sources.md §4): Sunbird re-signs downloadUrls
 * on every read, each valid for the URL TTL from that read, so a client must read the job again
 * right before downloading. Shaped like an Azure SAS:
 *   {origin}/blob/reports/{dataset}/{requestId}/{file}?sv=2017-04-17&se=<ISO expiry>&sr=b&sp=r&sig=<base64 HMAC>
 * The signature is HMAC-SHA256 with a server secret over the path and the expiry, so a client can
 * neither extend nor forge one. Failures answer 403 with Azure's XML error body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SERVICE_VERSION = '2017-04-17';

export type BlobCheck = { ok: true } | { ok: false; reason: 'expired' | 'bad-signature'; detail: string };

/** An expiry as the SAS `se` value: whole seconds, `Z`. */
const seValue = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** When a URL signed at `nowMs` expires: the SAS expiry has whole seconds. */
export function urlExpiryMs(nowMs: number, ttlSeconds: number): number {
  return Math.floor((nowMs + ttlSeconds * 1000) / 1000) * 1000;
}

export class BlobSigner {
  constructor(private readonly secret: string) {}

  private signature(path: string, se: string): Buffer {
    return createHmac('sha256', this.secret).update(`r\n${se}\n${path}\n${SERVICE_VERSION}`).digest();
  }

  /** The query for `path` (as sent on the wire, still percent-encoded) valid `ttlSeconds` from `nowMs`. */
  sign(path: string, nowMs: number, ttlSeconds: number): { query: string; expiresMs: number } {
    const expiresMs = urlExpiryMs(nowMs, ttlSeconds);
    const se = seValue(expiresMs);
    const sig = this.signature(path, se).toString('base64');
    return { query: `sv=${SERVICE_VERSION}&se=${encodeURIComponent(se)}&sr=b&sp=r&sig=${encodeURIComponent(sig)}`, expiresMs };
  }

  /** The signature first (a tampered expiry is a bad signature), then the expiry against `nowMs`. */
  verify(path: string, query: URLSearchParams, nowMs: number): BlobCheck {
    const se = query.get('se') ?? '';
    const given = Buffer.from(query.get('sig') ?? '', 'base64');
    const expected = this.signature(path, se);
    if (query.get('sv') !== SERVICE_VERSION || query.get('sp') !== 'r' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'bad-signature', detail: 'Signature did not match. String to sign used was r' };
    }
    const expiresMs = Date.parse(se);
    if (Number.isNaN(expiresMs) || nowMs >= expiresMs) {
      return { ok: false, reason: 'expired', detail: `Signature not valid in the specified time frame: Expiry [${new Date(expiresMs).toUTCString()}] - Current [${new Date(nowMs).toUTCString()}]` };
    }
    return { ok: true };
  }
}

/** Azure Storage's error document. */
export function azureErrorXml(code: string, message: string, detail?: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${escape(message)}</Message>` +
    `${detail === undefined ? '' : `<AuthenticationErrorDetail>${escape(detail)}</AuthenticationErrorDetail>`}</Error>`
  );
}
