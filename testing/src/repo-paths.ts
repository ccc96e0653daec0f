/** Where the repository is, from testing/src (the tests run the sources) or dist/testing/src (bench/
 *  runs the build) alike: the first folder up that holds proto/hpo. */
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

export function repoRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'proto/hpo')) && fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`no repository (a folder with proto/hpo) above ${__dirname}`);
  }
}

/** The foreground server entry of the build (configured by HPO_* variables; `npm run build` makes it). */
export function serverEntry(): string {
  return path.join(repoRoot(), 'dist/apps/server/src/standalone.js');
}
