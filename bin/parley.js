#!/usr/bin/env node
// Entry point of the `parley` command (package.json "bin", the Docker ENTRYPOINT and the tests all run this file).

// DuckDB's bundled jemalloc keeps freed pages for 10 s by default; a sync frees large checkpoint
// buffers every few seconds, so that retention measured +100 MiB of peak RSS. Keep them 1 s (unless
// the user configured the allocator): returning every free at once made the kernel fault the same
// pages in again (~600k faults, 2+ CPU-s at 200k conversations); DuckDB's allocator flush threshold
// (destinations/duckdb/destination.ts) bounds what is kept. Must be set before DuckDB is loaded.
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:1000,muzzy_decay_ms:0';

// V8 lets the old generation grow up to 4× what survived the last full collection; a sync's live
// set is small (rows stream through) but its garbage is promoted by the awaits, so the heap peaked
// at 80–165 MiB holding 30–40 MiB. Growing by 30 % measured −15 to −75 MiB of peak RSS; it costs
// Ultimate and Sunbird ~1 % of CPU, Genesys ~10 % (its pages are promoted whole: more full
// collections). Not for the simulators (large live caches), and not when the user set it.
if (process.argv[2] !== 'simulate' && ![...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((flag) => flag.includes('heap-growing-percent'))) {
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--heap-growing-percent=30');
}

const { main } = await import('../dist/connector/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
