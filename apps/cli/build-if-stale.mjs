// `npm run serve` / `npm run demo`: build only when a source changed since the last build, so starting
// the server again takes seconds instead of a full compile. Sources: every .ts/.proto/.json/.css/.html
// under apps, libs, examples and proto, and the tsconfig and package files; dist/.build-stamp marks the
// last successful build made through here.
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const stamp = path.join(root, 'dist', '.build-stamp');
const SOURCE = /\.(ts|mts|mjs|proto|json|css|html)$/;
const SKIP = new Set(['node_modules', 'dist', 'test', '.git']);

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (SOURCE.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const sources = Math.max(
  ...['apps', 'libs', 'examples', 'proto'].map((d) => newestSource(path.join(root, d))),
  ...['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs),
);
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (sources > built || !fs.existsSync(path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js'))) {
  process.stderr.write('building (sources changed since the last build)...\n');
  execSync('npm run -s build', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, '');
}
