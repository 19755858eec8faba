/** dbt's output through the redactor: a secret cut across two reads is still hidden, in every spelling registered. */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../connector/core/redact.js';
import { pipeRedacted, redactLogFiles } from '../../connector/transform/dbt-output.js';
import { tempDir } from '../helpers/cli.js';
import { freshSecret } from '../helpers/secret-scan.js';

describe('dbt output redaction', () => {
  it('hides a secret split across chunks, JSON-escaped or percent-encoded, and keeps every other byte', async () => {
    const secret = `${freshSecret('dbt')}\n"/+`;
    registerSecret(secret);
    const from = new PassThrough();
    const to = new PassThrough();
    let out = '';
    to.on('data', (d: Buffer) => (out += d.toString()));
    const done = pipeRedacted(from, to);
    const text = `a ${JSON.stringify(secret)} b\nc ${encodeURIComponent(secret)} d\nlast line without newline ${JSON.stringify(secret).slice(1, -1)}`;
    for (let i = 0; i < text.length; i += 7) from.write(text.slice(i, i + 7));
    from.end();
    await done;
    expect(out).toBe('a "***" b\nc *** d\nlast line without newline ***');
  });

  it('rewrites dbt log files redacted and leaves clean ones alone', () => {
    const secret = freshSecret('dbt-log');
    registerSecret(secret);
    const dir = tempDir('dbt-logs');
    fs.writeFileSync(path.join(dir, 'dbt.log'), `error: '${secret}' is not valid\n`);
    fs.writeFileSync(path.join(dir, 'clean.log'), 'nothing here\n');
    redactLogFiles(dir);
    expect(fs.readFileSync(path.join(dir, 'dbt.log'), 'utf8')).toBe("error: '***' is not valid\n");
    expect(fs.readFileSync(path.join(dir, 'clean.log'), 'utf8')).toBe('nothing here\n');
    expect(() => redactLogFiles(path.join(dir, 'absent'))).not.toThrow();
  });
});
