/**
 * HS256 JSON Web Tokens, as Kore.ai's public APIs take them (header `auth: <jwt>`): signed with the
 * app's client secret, short-lived, minted again before they expire. Twenty lines of node:crypto do
 * it (RFC 7515 compact serialisation, RFC 7518 HS256); a JWT library would add a dependency for one
 * algorithm we only sign with. `JwtMinter` hands out a token that has at least `marginS` left.
 */
import { createHmac } from 'node:crypto';
import { ConfigError } from './errors.js';
import { registerSecret } from './redact.js';

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A compact HS256 JWS of `payload`. */
export function signHs256(payload: Record<string, unknown>, secret: string): string {
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** The claims of a compact JWT, unverified (to read a given token's expiry); undefined when it is not one. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface MinterOptions {
  /** Claims every token carries besides iat/exp (Kore: appId, sub). */
  claims: Record<string, unknown>;
  secret: string;
  /** exp − iat, seconds. Default 3600 (Kore refuses longer). */
  lifetimeS?: number;
  /** A token with less than this left is replaced. Default 300 s. */
  marginS?: number;
  now?: () => number;
}

export class JwtMinter {
  private current: { token: string; exp: number } | undefined;
  private readonly lifetimeS: number;
  private readonly marginS: number;
  private readonly now: () => number;

  constructor(private readonly options: MinterOptions) {
    this.lifetimeS = options.lifetimeS ?? 3600;
    this.marginS = Math.min(options.marginS ?? 300, this.lifetimeS / 2);
    this.now = options.now ?? Date.now;
  }

  token(): string {
    const nowS = Math.floor(this.now() / 1000);
    if (!this.current || this.current.exp - nowS < this.marginS) {
      const exp = nowS + this.lifetimeS;
      this.current = { token: signHs256({ ...this.options.claims, iat: nowS, exp }, this.options.secret), exp };
      registerSecret(this.current.token); // a bearer credential for an hour: never printed
    }
    return this.current.token;
  }
}

/**
 * A ready token given in the config: used as is. Refused up front when it is not a JWT or has
 * expired, naming the field (the token itself is never shown).
 */
export function givenJwt(token: string, field: string, now: () => number = Date.now): () => string {
  const claims = jwtClaims(token);
  if (!claims) throw new ConfigError(`${field}: not a JWT (three base64url parts separated by dots). Give the token your app minted, or client_secret instead.`);
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  return () => {
    if (exp !== undefined && exp * 1000 <= now()) {
      throw new ConfigError(`${field}: the token expired at ${new Date(exp * 1000).toISOString()}. Mint a new one, or give client_secret so Parley mints its own.`);
    }
    return token;
  };
}
