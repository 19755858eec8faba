/**
 * A Dockerfile read without an engine: its stages (name, base, workdir, COPY sources and
 * destinations, RUN scripts), with what each stage holds, its bases' contents included.
 */
import path from 'node:path';

export interface Copy {
  /** The stage copied from (`--from=`), or undefined for the build context. */
  from?: string;
  sources: string[];
  /** Relative to the workdir when it is under it. */
  dest: string;
}

export interface Stage {
  name: string;
  base: string;
  workdir: string;
  copies: Copy[];
  runs: string[];
}

export interface Dockerfile {
  stages: Stage[];
  comments: string[];
}

export function parseDockerfile(text: string): Dockerfile {
  const comments: string[] = [];
  const instructions: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      comments.push(line);
      continue;
    }
    if (line === '' && current === '') continue;
    current += `${current ? ' ' : ''}${line.replace(/\\$/, '').trim()}`;
    if (!line.endsWith('\\')) {
      if (current) instructions.push(current);
      current = '';
    }
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    const [keyword = '', ...rest] = instruction.split(/\s+/);
    const stage = stages.at(-1);
    switch (keyword.toUpperCase()) {
      case 'FROM': {
        const [base = '', as, name] = rest;
        const parent = stages.find((s) => s.name === base);
        stages.push({ name: as?.toUpperCase() === 'AS' && name ? name : String(stages.length), base, workdir: parent?.workdir ?? '/', copies: [], runs: [] });
        break;
      }
      case 'WORKDIR':
        if (stage) stage.workdir = path.posix.resolve(stage.workdir, rest[0] ?? '/');
        break;
      case 'COPY': {
        const from = rest.find((r) => r.startsWith('--from='))?.slice('--from='.length);
        const args = rest.filter((r) => !r.startsWith('--'));
        const dest = path.posix.resolve(stage?.workdir ?? '/', args.at(-1) ?? '');
        const sources = args.slice(0, -1);
        // `COPY a b ./` keeps each source's name under the destination folder.
        const dests = (args.at(-1) ?? '').endsWith('/') ? sources.map((s) => path.posix.join(dest, path.posix.basename(s))) : [dest];
        for (const [i, d] of dests.entries()) {
          stage?.copies.push({ ...(from ? { from } : {}), sources: dests.length > 1 ? [sources[i]!] : sources, dest: relative(stage?.workdir ?? '/', d) });
        }
        break;
      }
      case 'RUN':
        stage?.runs.push(rest.join(' '));
        break;
      default:
    }
  }
  return { stages, comments };
}

function relative(workdir: string, p: string): string {
  const r = path.posix.relative(workdir, p);
  return r.startsWith('..') ? p : r;
}

/** The stage and the stages it is built on, nearest first. */
export function lineage(file: Dockerfile, name: string): Stage[] {
  const out: Stage[] = [];
  for (let stage = file.stages.find((s) => s.name === name); stage; stage = file.stages.find((s) => s.name === stage!.base)) out.push(stage);
  return out;
}

/** True when `relativePath` (under the workdir) was copied into the stage or one of its bases. */
export function copiedInto(file: Dockerfile, name: string, relativePath: string): boolean {
  return lineage(file, name).some((stage) => stage.copies.some((c) => relativePath === c.dest || relativePath.startsWith(`${c.dest}/`)));
}

/** Every RUN script of the stage and its bases. */
export function runsOf(file: Dockerfile, name: string): string[] {
  return lineage(file, name).flatMap((stage) => stage.runs);
}
