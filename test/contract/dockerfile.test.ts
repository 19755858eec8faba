/**
 * The Dockerfile, read without an engine (none here): the default target is the Airbyte source with
 * the entrypoint the tests run; the `runner` target adds what `parley transform` / `run` need; every
 * path the code reads at runtime (found in the code, test/helpers/runtime-paths.ts) is in the target
 * that runs that code; and every test a Dockerfile comment cites exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copiedInto, lineage, parseDockerfile, runsOf } from '../helpers/dockerfile.js';
import { ROOT } from '../helpers/cli.js';
import { runtimePaths } from '../helpers/runtime-paths.js';

const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = parseDockerfile(text);
const defaultTarget = dockerfile.stages.at(-1)!;
const runner = dockerfile.stages.find((s) => s.name === 'runner');
const TRANSFORM = 'connector/transform/';

/** Whether the stage holds `p`: copied, or made by one of its RUN scripts (the venv, its stamp, its executables). */
function holds(stage: string, p: string): boolean {
  if (copiedInto(dockerfile, stage, p)) return true;
  const workdir = lineage(dockerfile, stage)[0]!.workdir;
  const runs = runsOf(dockerfile, stage);
  if (runs.some((run) => run.includes(`${workdir}/${p}`))) return true;
  // <venv>/bin/<tool>: the venv is created there and pip installs the requirements that pin the tool.
  const tool = /^(.+)\/bin\/([\w-]+)$/.exec(p);
  if (!tool) return false;
  const installs = runs.find((run) => run.includes(`-m venv ${workdir}/${tool[1]}`) && run.includes(`${workdir}/${tool[1]}/bin/pip install`));
  const requirements = installs && /-r (\S+)/.exec(installs.slice(installs.indexOf('pip install')))?.[1];
  return Boolean(requirements && copiedInto(dockerfile, stage, requirements) && new RegExp(`^${tool[2]}(-core)?==`, 'm').test(fs.readFileSync(path.join(ROOT, requirements), 'utf8')));
}

describe('Dockerfile', () => {
  it('follows Airbyte image conventions', () => {
    expect(text).toMatch(/^ENV AIRBYTE_ENTRYPOINT="node \/airbyte\/integration_code\/bin\/parley\.js"$/m);
    expect(text).toMatch(/^LABEL io\.airbyte\.name=\S+$/m);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(text).toContain(`LABEL io.airbyte.version=${version}`);
  });

  it('the default target (the last stage) is the Airbyte source: the entrypoint the tests run, no Python, no dbt', () => {
    const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(text)![1]!);
    expect(entrypoint).toEqual(['node', `${defaultTarget.workdir}/bin/parley.js`]);
    expect(lineage(dockerfile, defaultTarget.name).map((s) => s.name)).toContain('base'); // where ENTRYPOINT and the labels are
    expect(copiedInto(dockerfile, defaultTarget.name, 'transformations')).toBe(false);
    expect(runsOf(dockerfile, defaultTarget.name).join('\n')).not.toMatch(/python|pip/);
  });

  it('a `runner` target adds Python, the pinned dbt venv and transformations/, on the same entrypoint', () => {
    expect(runner).toBeDefined();
    expect(lineage(dockerfile, 'runner').map((s) => s.name)).toContain('base');
    expect(runsOf(dockerfile, 'runner').join('\n')).toMatch(/apt-get install .*python3 python3-venv/);
    expect(runner!.workdir).toBe(defaultTarget.workdir);
  });

  it('finds the runtime paths in the code: the package root markers, the dbt project, the venv and its stamp, the compiled code', () => {
    const found = runtimePaths(ROOT).map((p) => p.path);
    expect(found).toEqual(expect.arrayContaining(['package.json', 'sql', 'dist/connector/cli/main.js', 'bin/parley.js', 'transformations', 'transformations/requirements.txt', '.venv/bin/dbt', '.venv/.parley-requirements.sha256']));
  });

  it.each(runtimePaths(ROOT).map((p) => [p.path, p.readBy] as const))('%s (read by %j) is in every target that runs that code', (p, readBy) => {
    const onlyTransform = readBy.every((file) => file.startsWith(TRANSFORM));
    expect(holds('runner', p), `runner holds ${p}`).toBe(true);
    if (!onlyTransform) expect(holds(defaultTarget.name, p), `${defaultTarget.name} holds ${p}`).toBe(true);
  });

  it('the check can fail: a runner without the COPY of transformations/ does not hold the dbt project', () => {
    const broken = parseDockerfile(text.replace(/^COPY transformations .*$/m, ''));
    expect(copiedInto(broken, 'runner', 'transformations/requirements.txt')).toBe(false);
    expect(copiedInto(dockerfile, 'runner', 'transformations/requirements.txt')).toBe(true);
  });

  it('copies from the build context only files that exist, and from stages that exist', () => {
    for (const stage of dockerfile.stages) {
      for (const copy of stage.copies) {
        if (copy.from) expect(dockerfile.stages.map((s) => s.name), `${stage.name}: --from=${copy.from}`).toContain(copy.from);
        else for (const source of copy.sources) expect(fs.existsSync(path.join(ROOT, source)), `${stage.name}: COPY ${source}`).toBe(true);
      }
    }
  });

  it('every test its comments cite exists', () => {
    const cited = dockerfile.comments.flatMap((c) => [...c.matchAll(/test\/[\w/.-]+\.test\.ts/g)].map((m) => m[0]));
    expect(cited.length).toBeGreaterThan(0);
    for (const file of cited) expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
  });

  it('the README shows both targets', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/docker build -t \S+ \./);
    expect(readme).toMatch(/docker build --target runner/);
  });
});
