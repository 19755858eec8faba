/**
 * OAuth 2.0 client credentials (Genesys Cloud; any vendor with a token endpoint): one access token
 * shared by every request, fetched again shortly before it expires and at once when the API
 * answers 401. The client secret and every token are registered as secrets, so no log line, error
 * or record can show them.
 */
import { ConfigError, SystemError } from './errors.js';
import { HttpClient, type HttpRequest, type HttpResponse, readErrorMessage, readText } from './http.js';
import { registerSecret } from './redact.js';

export interface ClientCredentialsOptions {
  /** Token endpoint, e.g. https://login.mypurecloud.com/oauth/token. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Vendor name in messages, e.g. "Genesys Cloud". */
  vendor: string;
  /** Config field names to point at when the credentials are refused. */
  fields?: { clientId: string; clientSecret: string };
  /** Refresh this long before expiry. Default 60 s (or a tenth of a short lifetime). */
  refreshMarginMs?: number;
  now?: () => number;
}

interface Token {
  value: string;
  expiresAt: number;
}

export class ClientCredentialsAuth {
  private token: Token | undefined;
  private pending: Promise<Token> | undefined;
  private readonly now: () => number;
  private readonly fields: { clientId: string; clientSecret: string };

  constructor(
    private readonly http: HttpClient,
    private readonly options: ClientCredentialsOptions,
  ) {
    registerSecret(options.clientSecret);
    this.now = options.now ?? Date.now;
    this.fields = options.fields ?? { clientId: 'client_id', clientSecret: 'client_secret' };
  }

  /** A valid access token: the cached one, or a new one when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    const token = this.token;
    if (token && this.now() < token.expiresAt) return token.value;
    // One request for a new token however many callers are waiting for it.
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    this.token = await this.pending;
    return this.token.value;
  }

  /** Forgets `value` if it is the cached token (the API answered 401 with it). */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  /**
   * `http.send` with the bearer token; a 401 gets one new token and one more try, a second 401 is a
   * configuration error (the client lacks a permission or was revoked).
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const response = await this.http.send({
        ...request,
        headers: { ...request.headers, authorization: `Bearer ${token}` },
        passStatuses: [...(request.passStatuses ?? []), 401],
      });
      if (response.status !== 401 || request.passStatuses?.includes(401)) return response;
      const message = await readErrorMessage(response.body);
      this.invalidate(token);
      if (attempt >= 2) {
        throw new ConfigError(
          `${this.options.vendor} refused a fresh access token for ${request.method} ${new URL(request.url).pathname} (401${message ? `: ${message}` : ''}). ` +
            `Check that the OAuth client (${this.fields.clientId}) is active and has the permissions this stream needs.`,
        );
      }
    }
  }

  private async fetchToken(): Promise<Token> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    registerSecret(basic);
    const response = await this.http.send({
      method: 'POST',
      url: this.options.tokenUrl,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
      passStatuses: [400, 401, 403],
    });
    if (response.status !== 200) {
      const message = await readErrorMessage(response.body);
      throw new ConfigError(
        `${this.options.vendor} login refused the client credentials (${response.status}${message ? `: ${message}` : ''}). ` +
          `Check ${this.fields.clientId} and ${this.fields.clientSecret} (an OAuth client of grant type "Client Credentials") and the region.`,
      );
    }
    const text = await readText(response.body, 64 * 1024);
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new SystemError(`${this.options.vendor} login answered 200 without a JSON body`);
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new SystemError(`${this.options.vendor} login answered without an access_token`);
    }
    registerSecret(body.access_token);
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600) * 1000;
    const margin = Math.min(this.options.refreshMarginMs ?? 60_000, lifetimeMs / 10);
    return { value: body.access_token, expiresAt: this.now() + lifetimeMs - margin };
  }
}
