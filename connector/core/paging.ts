/**
 * Paged listings, vendor-free (dlt's paginator shape: the first request, read a page, the next
 * request or none). Three kinds cover the vendors: an opaque cursor (Genesys job results), a page
 * number with a page count (Genesys flow outcomes), and skip/limit where the skip advances by what
 * was received (Kore.ai: the server may cap the limit). Each guards against a server that loops:
 * a cursor handed out twice, or pages that stop advancing.
 */
import { TransientError } from './errors.js';

/** Pages of a cursor-paged listing: `fetchPage(undefined)` first, then each returned cursor until none. */
export async function* cursorPages<Page extends { cursor?: string | undefined }>(fetchPage: (cursor: string | undefined) => Promise<Page>): AsyncGenerator<Page> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(cursor);
    yield page;
    cursor = page.cursor || undefined;
    if (cursor !== undefined) {
      // A server that hands back a cursor it gave before would loop forever.
      if (seen.has(cursor)) throw new TransientError('the results listing returned the same cursor twice; stopping instead of looping');
      seen.add(cursor);
    }
  } while (cursor !== undefined);
}

/** Pages 1, 2, … until `pageCount` (as the page says) or an empty page; at most `maxPages`. */
export async function* numberedPages<Page>(
  fetchPage: (page: number) => Promise<Page>,
  read: (page: Page) => { items: number; pageCount?: number },
  maxPages = 10_000,
): AsyncGenerator<Page> {
  for (let number = 1; number <= maxPages; number++) {
    const page = await fetchPage(number);
    yield page;
    const { items, pageCount } = read(page);
    if (items === 0 || number >= (pageCount ?? number)) return;
  }
  throw new TransientError(`the listing went on past ${maxPages} pages; stopping instead of looping`);
}

/**
 * skip/limit pages, each with the skip it was asked at: skip advances by the items received, not by the limit asked for (a server may
 * cap the limit), until the page says there is no more. A page with no items that claims more is
 * a loop, not progress.
 */
export async function* offsetPages<Page>(fetchPage: (skip: number) => Promise<Page>, read: (page: Page) => { items: number; more: boolean }): AsyncGenerator<{ page: Page; skip: number }> {
  for (let skip = 0; ; ) {
    const page = await fetchPage(skip);
    yield { page, skip };
    const { items, more } = read(page);
    if (!more) return;
    if (items === 0) throw new TransientError(`the listing claimed more items after ${skip} but sent none; stopping instead of looping`);
    skip += items;
  }
}
