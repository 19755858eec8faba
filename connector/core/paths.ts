/** Where the package's own files are (sql/, transformations/), wherever the code runs from (src or dist). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'sql'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Parley package root (package.json beside sql/)');
    dir = parent;
  }
  root = dir;
  return dir;
}
