#!/usr/bin/env node
// Entry point of the `parley` command (package.json "bin", the Docker ENTRYPOINT and the tests all run this file).

// DuckDB's bundled jemalloc keeps freed pages for 10 s by default; a sync frees large checkpoint
// buffers every few seconds, so that retention measured +100 MiB of peak RSS. Return them at once
// (unless the user configured the allocator). Must be set before DuckDB's library is loaded.
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:0,muzzy_decay_ms:0';

const { main } = await import('../dist/connector/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
