#!/usr/bin/env node
// Entry point of the `parley` command (package.json "bin", the Docker ENTRYPOINT and the tests all run this file).
// CommonJS (bin/package.json): Node loads it synchronously, so the environment below is set before
// anything starts libuv's thread pool (an ES module entry is read through the pool, too late).
'use strict';

// DuckDB's bundled jemalloc keeps freed pages for 10 s by default; a sync frees large checkpoint
// buffers every few seconds, so that retention measured +100 MiB of peak RSS. Keep them 1 s (unless
// the user configured the allocator): returning every free at once made the kernel fault the same
// pages in again (~600k faults, 2+ CPU-s at 200k conversations); DuckDB's allocator flush threshold
// (destinations/duckdb/destination.ts) bounds what is kept. Must be set before DuckDB is loaded.
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:1000,muzzy_decay_ms:0';

const command = process.argv[2];

// One libuv worker thread (unless the user sized the pool) for everything but the simulators: DuckDB
// runs each query on a pool thread, and each thread that ran one kept its own malloc arenas (glibc's
// and jemalloc's), ~25-30 MiB apiece; on one thread, 200k Ultimate conversations peaked at 257
// instead of 310 MiB for the same CPU and wall time. The pool's other work (gunzip, file reads, DNS)
// is small and waits for a commit at most.
if (command !== 'simulate') process.env.UV_THREADPOOL_SIZE ??= '1';

void (async () => {
  // The old generation grows by 30 % past what survived a full collection instead of up to 4×:
  // connector/core/heap.ts says why and what it measured. Not for the simulators (large live caches).
  if (command !== 'simulate') {
    const { DEFAULT_HEAP_GROWTH_PERCENT, setHeapGrowth } = await import('../dist/connector/core/heap.js');
    setHeapGrowth(DEFAULT_HEAP_GROWTH_PERCENT);
  }
  const { main } = await import('../dist/connector/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
})();
