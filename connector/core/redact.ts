/**
 * One place that keeps secrets out of logs, errors and state. Config loaders register every
 * secret value they read; `redact` replaces them and strips query strings from URLs (signed URLs
 * carry their signature there).
 */
const secrets = new Set<string>();
/** The secrets longest first, so a spelling that contains another is replaced whole; rebuilt when one is added. */
let longestFirst: string[] = [];

/**
 * Remember a secret value so that `redact` hides it everywhere: as is, and in the spellings other
 * programs print it in (JSON-escaped, e.g. a key file's "\\n"; percent-encoded, e.g. in a URL).
 * Short values are ignored (too many false hits).
 */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string' || value.length < 4) return;
  for (const spelling of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) secrets.add(spelling);
  longestFirst = [...secrets].sort((a, b) => b.length - a.length);
}

// A query already redacted (by redactUrl) is left alone, not marked twice.
const URL_QUERY = /(https?:\/\/[^\s?"'<>]+)\?(?!<redacted>)[^\s"'<>]*/g;

/** A URL safe to print: scheme, host and path; the query (signatures, tokens) is dropped. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?<redacted>`;
}

export function redact(text: string): string {
  let out = text.replace(URL_QUERY, '$1?<redacted>');
  for (const secret of longestFirst) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  return out;
}
