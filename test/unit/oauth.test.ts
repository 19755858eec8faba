/**
 * connector/core/oauth.ts against a token endpoint and an API on 127.0.0.1: Basic auth to get a
 * token, one token for concurrent callers, refresh before expiry and on 401, clear errors without
 * secrets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient, readText } from '../../connector/core/http.js';
import { ClientCredentialsAuth } from '../../connector/core/oauth.js';
import { redact } from '../../connector/core/redact.js';

const CLIENT_ID = 'client-1234';
const CLIENT_SECRET = 'very-secret-value-42';
let tokenRequests = 0;
let issued: string[] = [];
const revoked = new Set<string>();
let alwaysUnauthorized = false;
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/oauth/token') {
        tokenRequests++;
        const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
        if (request.headers.authorization !== expected || body !== 'grant_type=client_credentials') {
          response.writeHead(401, { 'content-type': 'application/json' });
          return response.end(JSON.stringify({ error: 'invalid_client', description: 'client not found' }));
        }
        const token = `token-${tokenRequests}-${Math.random().toString(36).slice(2)}`;
        issued.push(token);
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 600 }));
      }
      const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (alwaysUnauthorized || !issued.includes(token) || revoked.has(token)) {
        response.writeHead(401, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ message: 'Authentication failed', code: 'authentication.required' }));
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, token }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  tokenRequests = 0;
  issued = [];
  revoked.clear();
  alwaysUnauthorized = false;
});

function auth(options: { secret?: string; now?: () => number } = {}) {
  const httpClient = new HttpClient({ vendor: 'Genesys Cloud', policy: { maxAttempts: 2, backoff: { initialMs: 1, factor: 2, maxMs: 5, jitter: true } } });
  return new ClientCredentialsAuth(httpClient, {
    tokenUrl: `${base}/oauth/token`,
    clientId: CLIENT_ID,
    clientSecret: options.secret ?? CLIENT_SECRET,
    vendor: 'Genesys Cloud',
    ...(options.now ? { now: options.now } : {}),
  });
}

async function call(a: ClientCredentialsAuth): Promise<{ token: string }> {
  const response = await a.send({ method: 'GET', url: `${base}/api/v2/thing` });
  return JSON.parse(await readText(response.body, 4096)) as { token: string };
}

describe('ClientCredentialsAuth', () => {
  it('gets one token for many concurrent requests and reuses it', async () => {
    const a = auth();
    const results = await Promise.all(Array.from({ length: 8 }, () => call(a)));
    expect(tokenRequests).toBe(1);
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
  });

  it('refreshes shortly before the token expires', async () => {
    let now = 1_000_000;
    const a = auth({ now: () => now });
    await call(a);
    now += 530_000; // 600 s lifetime, refreshed 60 s early: still valid
    await call(a);
    expect(tokenRequests).toBe(1);
    now += 15_000; // 545 s: inside the margin
    await call(a);
    expect(tokenRequests).toBe(2);
  });

  it('gets a new token once when the API answers 401, then carries on', async () => {
    const a = auth();
    const first = await call(a);
    revoked.add(first.token);
    const second = await call(a);
    expect(second.token).not.toBe(first.token);
    expect(tokenRequests).toBe(2);
  });

  it('a second 401 with a fresh token is a configuration error naming the client, not the token', async () => {
    const a = auth();
    alwaysUnauthorized = true;
    const error = (await call(a).catch((e: unknown) => e)) as Error & { failureType?: string };
    expect(error.message).toMatch(/Genesys Cloud refused a fresh access token for GET \/api\/v2\/thing \(401: Authentication failed\)/);
    expect(error.message).toMatch(/client_id/);
    for (const token of issued) expect(error.message).not.toContain(token);
  });

  it('a refused client secret is a configuration error that never shows the secret', async () => {
    const a = auth({ secret: 'wrong-secret-value-99' });
    const error = (await call(a).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/Genesys Cloud login refused the client credentials \(401: invalid_client\)\. Check client_id and client_secret/);
    expect(error.message).not.toContain('wrong-secret-value-99');
    expect(redact(`secret wrong-secret-value-99 in a log line`)).toBe('secret *** in a log line');
  });

  it('registers every token as a secret', async () => {
    const { token } = await call(auth());
    expect(redact(`Authorization: Bearer ${token}`)).toBe('Authorization: Bearer ***');
  });
});
