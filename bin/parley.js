#!/usr/bin/env node
// Entry point of the `parley` command (package.json "bin", the Docker ENTRYPOINT and the tests all run this file).

// DuckDB's bundled jemalloc keeps freed pages for 10 s by default; a sync frees large checkpoint
// buffers every few seconds, so that retention measured +100 MiB of peak RSS. Keep them 1 s (unless
// the user configured the allocator): returning every free at once made the kernel fault the same
// pages in again (~600k faults, 2+ CPU-s at 200k conversations); DuckDB's allocator flush threshold
// (destinations/duckdb/destination.ts) bounds what is kept. Must be set before DuckDB is loaded.
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:1000,muzzy_decay_ms:0';

const { main } = await import('../dist/connector/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
