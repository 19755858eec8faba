/**
 * Which leftover stage tables a BigQuery sync drops (connector/destinations/bigquery/stage-tables.ts):
 * its own instance's other syncs, old stage tables of the instance-less form, never another
 * instance's. (That they are really dropped on the emulator: test/e2e/ultimate-bigquery.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { instanceKey, leftoverStageTables, stageTableName } from '../../connector/destinations/bigquery/stage-tables.js';

const now = new Date('2026-12-02T12:00:00Z');
const mine = 'sim-org';
const other = 'other-org';
const current = '20261202T115900-a1b2c3';

describe('BigQuery stage tables', () => {
  it('names a stage table by instance key, sync id and raw table, in characters BigQuery allows', () => {
    const name = stageTableName('https://x.zendesk.com/ai-agents/api org/1', current, 'raw_ultimate_conversations');
    expect(name).toMatch(/^_parley_stage_[0-9a-f]{10}_20261202T115900_a1b2c3_raw_ultimate_conversations$/);
    expect(instanceKey(mine)).not.toBe(instanceKey(other));
  });

  it("drops its own instance's stage tables of other syncs, whatever their age, and keeps its own sync's", () => {
    const tables = [
      stageTableName(mine, current, 'raw_a'),
      stageTableName(mine, '20261202T115000-ffffff', 'raw_a'),
      stageTableName(mine, '20251202T115000-000000', 'raw_b'),
    ];
    expect(leftoverStageTables(tables, mine, current, now)).toEqual(tables.slice(1));
  });

  it("never drops another instance's stage tables, however old", () => {
    const tables = [stageTableName(other, '20251202T115000-ffffff', 'raw_a'), stageTableName(other, '20261202T115800-ffffff', 'raw_a')];
    expect(leftoverStageTables(tables, mine, current, now)).toEqual([]);
  });

  it('drops instance-less stage tables (the earlier naming) only once their sync started over 24 hours ago', () => {
    const tables = ['_parley_stage_20261201T115959_abcdef_raw_a', '_parley_stage_20261201T120001_abcdef_raw_a', '_parley_stage_notasync_raw_a', 'raw_a'];
    expect(leftoverStageTables(tables, mine, current, now)).toEqual(['_parley_stage_20261201T115959_abcdef_raw_a']);
  });
});
