// Builds the dashboard front end into dist/apps/server/dashboard-ui/ (index.html, app.js, app.css):
// type-checks it with its own tsconfig (DOM, bundler resolution), then bundles it with esbuild,
// uPlot and its stylesheet included, so the page needs nothing from the network.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const outdir = path.join(root, 'dist/apps/server/dashboard-ui');

try {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(here, 'tsconfig.json')], { stdio: 'inherit' });
} catch {
  console.error('dashboard-ui: type errors (above)');
  process.exit(1);
}
fs.mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: { app: path.join(here, 'src/main.ts') },
  outdir,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(here, 'index.html'), path.join(outdir, 'index.html'));
