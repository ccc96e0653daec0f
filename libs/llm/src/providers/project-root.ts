/** The project's root (the folder of its package.json), from wherever this file runs: the TypeScript
 *  sources under jest, or the compiled dist/ tree. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'hpo-service';

export function projectRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} project root above ${from}`);
  }
}

/** The models shared with the project, ../shared/models from the root (never copied into the tree). */
export function sharedModelsDir(): string {
  return path.resolve(projectRoot(), '../shared/models');
}
