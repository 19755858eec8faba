/**
 * The package's own files the code reads when it runs, found in the code (not kept by hand): every
 * `path.join(packageRoot(), '…')` and `path.join(venvDir(), '…')` (the venv defaults to `.venv` in the
 * package root), the package-root markers of connector/core/paths.ts, and what bin/parley.js imports.
 * Each path is tagged with the files that read it. Dev-only code (codegen, simulators) is left out:
 * an image never runs it.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface RuntimePath {
  path: string;
  readBy: string[];
}

const DEV_ONLY = [/^connector\/codegen\.ts$/, /^connector\/simulators\//];

function literals(args: string): string[] {
  return [...args.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

export function runtimePaths(root: string): RuntimePath[] {
  const found = new Map<string, Set<string>>();
  const add = (p: string, file: string) => found.set(p, (found.get(p) ?? new Set()).add(file));
  const files = fs
    .readdirSync(path.join(root, 'connector'), { recursive: true })
    .map((f) => `connector/${String(f)}`)
    .filter((f) => f.endsWith('.ts') && !DEV_ONLY.some((re) => re.test(f)));
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(/path\.join\(packageRoot\(\),\s*((?:'[^']+'\s*,?\s*)+)\)/g)) add(literals(m[1]!).join('/'), file);
    for (const m of text.matchAll(/path\.join\(venvDir\(\),\s*((?:'[^']+'\s*,?\s*)+)\)/g)) add(['.venv', ...literals(m[1]!)].join('/'), file);
    if (/packageRoot\(\), '\.venv'/.test(text)) add('.venv', file);
    if (file === 'connector/core/paths.ts') for (const m of text.matchAll(/path\.join\(dir,\s*'([^']+)'\)/g)) add(m[1]!, file);
  }
  const bin = fs.readFileSync(path.join(root, 'bin/parley.js'), 'utf8');
  for (const m of bin.matchAll(/import\('\.\.\/([^']+)'\)/g)) add(m[1]!, 'bin/parley.js');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin?: Record<string, string>; dependencies?: Record<string, string> };
  for (const entry of Object.values(pkg.bin ?? {})) add(entry, 'package.json');
  for (const dependency of Object.keys(pkg.dependencies ?? {})) add(`node_modules/${dependency}`, 'package.json');
  return [...found].map(([p, readBy]) => ({ path: p, readBy: [...readBy].sort() })).sort((a, b) => a.path.localeCompare(b.path));
}
