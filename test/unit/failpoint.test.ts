/** PARLEY_FAILPOINT: which arrival at which named point stops the process (connector/core/failpoint.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../connector/core/errors.js';
import { parseFailpoint } from '../../connector/core/failpoint.js';

describe('PARLEY_FAILPOINT', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('reads <name> (the first arrival) and <name>@<n>; unset or blank arms nothing', () => {
    expect(parseFailpoint(undefined)).toBeNull();
    expect(parseFailpoint('  ')).toBeNull();
    expect(parseFailpoint('commit.done')).toEqual({ name: 'commit.done', hit: 1 });
    expect(parseFailpoint(' job.submitted@12 ')).toEqual({ name: 'job.submitted', hit: 12 });
  });

  it('refuses a value that names no point or no arrival, saying what is expected', () => {
    for (const bad of ['commit.done@0', 'commit.done@', 'commit.done@1.5', 'commit.done@-2', 'commit.done@2@3', '@2', 'commit.done@x']) {
      expect(() => parseFailpoint(bad), bad).toThrow(ConfigError);
      expect(() => parseFailpoint(bad), bad).toThrow(/expected <name> or <name>@<n> \(n ≥ 1\)/);
    }
    expect(() => parseFailpoint('commit.don@2')).toThrow(/no failpoint "commit\.don"; the names are download\.mid-file, records\.staged, commit\.done, job\.submitted/);
  });

  it('counts arrivals of the armed name only: the n-th one is armed, no other', async () => {
    vi.stubEnv('PARLEY_FAILPOINT', 'records.staged@3');
    const { failpointArmed } = await import('../../connector/core/failpoint.js');
    const seen = [failpointArmed('commit.done'), failpointArmed('records.staged'), failpointArmed('commit.done'), failpointArmed('records.staged'), failpointArmed('records.staged'), failpointArmed('records.staged')];
    expect(seen).toEqual([false, false, false, false, true, false]);
  });
});
