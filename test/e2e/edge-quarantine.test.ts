/**
 * Huge invalid records through a real `parley sync` into DuckDB: an export day of the Ultimate
 * simulator carries one more file holding a ~1 MB line that is not JSON and a record whose count is
 * a 300 KB string. Both are quarantined (the valid records load as the truth says), each payload
 * cut as documented — its first 64 KiB of UTF-8, never half a character, then
 * `…[truncated: N bytes in all]` — the reason kept (naming the field, itself bounded), and the sync
 * summary counts them.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';

const KIB64 = 64 * 1024;
const today = todayUtc();
const bot = 'huge-bot';
const scope: Scope = { bots: [bot], firstDay: addDays(today, -2), lastDay: addDays(today, -1), generator: { seed: 5, conversationsPerDay: 10, invalidEvery: 8 } };
const day = scope.lastDay;

// Not JSON: 65,534 ASCII bytes, then emoji (4 bytes each) across the 64 KiB mark, then ~1 MB more.
const asciiHead = `{"conversation_id": "broken-1", ${'x'.repeat(KIB64 - 2 - 32)}`;
const notJson = `${asciiHead}${'😀'.repeat(1000)}${'y'.repeat(1_000_000)}`;
const notJsonBytes = KIB64 - 2 + 4 * 1000 + 1_000_000;
// Valid JSON, but a count that is a 300 KB string of two-byte characters.
const badCount = JSON.stringify({ conversation_id: 'huge-count-1', bot_id: bot, conversation_start_time: `${day}T10:00:00.000Z`, conversation_end_time: `${day}T10:05:00.000Z`, visitor_messages_count: 'é'.repeat(150_000) });

let simulator: RunningUltimateSimulator | undefined;
afterAll(async () => simulator?.close());

describe('quarantine of huge invalid records', () => {
  it('keeps the first 64 KiB of each (whole characters) with the full size, the reason, and the count', async () => {
    expect(Buffer.byteLength(asciiHead)).toBe(KIB64 - 2);
    expect(Buffer.byteLength(notJson)).toBe(notJsonBytes);
    simulator = await startUltimateSimulator({ today, generator: scope.generator, extraFiles: { [`${bot}|${day}`]: `${notJson}\n${badCount}\n` } });
    const dir = tempDir('huge');
    const database = path.join(dir, 'parley.duckdb');
    const source = { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: [bot], start_date: scope.firstDay };
    const result = await runCli(['sync', '--config', writeJson(dir, 'sync.json', { source, destination: { type: 'duckdb', path: database } })]);
    expect(result.code, result.stderr).toBe(0);

    const generated = truthInvalidCount(scope);
    expect(generated).toBeGreaterThan(0); // the ordinary invalid records stay whole beside the huge ones
    expect(result.stderr).toMatch(new RegExp(`quarantined\\s+${generated + 2} records`));
    const keys = (await query<{ id: string }>(database, 'SELECT conversation_id AS id FROM raw_ultimate_conversations ORDER BY id')).map((r) => r.id);
    expect(keys).toEqual(truthConversations(scope).map((c) => c.conversation_id).sort());

    const rows = await query<{ locator: string; reason: string; raw_text: string }>(database, 'SELECT locator, reason, raw_text FROM _parley_quarantine ORDER BY locator');
    expect(rows).toHaveLength(generated + 2);
    const huge = rows.filter((r) => r.raw_text.includes('…[truncated: '));
    expect(huge).toHaveLength(2);
    for (const row of rows.filter((r) => !huge.includes(r))) expect(Buffer.byteLength(row.raw_text)).toBeLessThan(KIB64);

    const broken = huge.find((r) => r.raw_text.startsWith('{"conversation_id": "broken-1"'))!;
    expect(broken.locator).toMatch(new RegExp(`^bot=${bot} day=${day} file=conversation_${bot}_${day}_\\d{12}\\.json(\\.gz)? record=0$`));
    expect(broken.reason).toMatch(/^not valid JSON/);
    // The emoji across the 64 KiB mark is left out whole: exactly the ASCII head, then the marker.
    expect(broken.raw_text).toBe(`${asciiHead}…[truncated: ${notJsonBytes} bytes in all]`);

    const count = huge.find((r) => r.raw_text.startsWith('{"conversation_id":"huge-count-1"'))!;
    expect(count.locator).toMatch(/record=1$/);
    expect(count.reason).toMatch(/^visitor_messages_count: "éééé/);
    expect(count.reason).toMatch(/…\[truncated\]$/);
    expect(count.reason.length).toBeLessThanOrEqual(1000 + '…[truncated]'.length);
    const kept = count.raw_text.slice(0, count.raw_text.indexOf('…[truncated: '));
    expect(badCount.startsWith(kept)).toBe(true);
    expect(Buffer.byteLength(kept)).toBeGreaterThan(KIB64 - 2); // a two-byte character is the most that can be left out
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(KIB64);
    expect(count.raw_text.slice(kept.length)).toBe(`…[truncated: ${Buffer.byteLength(badCount)} bytes in all]`);
  });
});
