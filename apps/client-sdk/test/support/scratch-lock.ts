/** A package-lock.json for a scratch project that installs the packed @hpo/client: the SDK's
 *  dependency closure taken from the repository's own lock (same versions and integrity hashes), so
 *  `npm ci --offline` installs it from the npm cache the repository's `npm ci` filled, with no registry. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface LockEntry {
  version?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Where npm finds `dep` for the package installed at `from` ("" is the root): its own node_modules,
 *  then each ancestor's. */
function resolveIn(packages: Record<string, LockEntry>, from: string, dep: string): string | undefined {
  for (let base = from; ; ) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

export function scratchLock(repoLockFile: string, tarball: string, sdkDependencies: Record<string, string>, projectName: string): object {
  const repo = JSON.parse(fs.readFileSync(repoLockFile, 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, LockEntry> = {};
  const todo = Object.keys(sdkDependencies).map((dep) => ({ from: '', dep }));
  while (todo.length > 0) {
    const { from, dep } = todo.pop()!;
    const at = resolveIn(repo.packages, from, dep);
    if (!at) throw new Error(`${dep} (needed by ${from || '@hpo/client'}) is not in ${repoLockFile}`);
    if (packages[at]) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repo.packages[at] as LockEntry & { dev?: boolean; devOptional?: boolean; peer?: boolean };
    packages[at] = entry;
    for (const d of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) todo.push({ from: at, dep: d });
  }
  const file = path.basename(tarball);
  const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
  return {
    name: projectName,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: projectName, dependencies: { '@hpo/client': `file:${file}` } },
      'node_modules/@hpo/client': { version: '0.1.0', resolved: `file:${file}`, integrity, dependencies: sdkDependencies },
      ...packages,
    },
  };
}
