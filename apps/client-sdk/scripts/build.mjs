// Builds the @hpo/client package on its own: copies the .proto contract from the repository's proto/
// into the package (so the published package carries the very files the server serves), compiles
// src/ to dist/ (CommonJS + .d.ts), and writes dist/index.mjs, the ESM entry that re-exports the
// CommonJS build by name (one implementation, so `instanceof HpoClientError` holds in both).
// `--proto-only` just refreshes the copy (the repository's `npm run build` does, so the sources never
// load a stale contract).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoProto = path.resolve(pkgDir, '../../proto/hpo');
const ownProto = path.join(pkgDir, 'proto/hpo');
const require = createRequire(import.meta.url);

if (!fs.existsSync(repoProto)) throw new Error(`${repoProto} is missing: build @hpo/client from the repository`);
fs.rmSync(path.join(pkgDir, 'proto'), { recursive: true, force: true });
fs.cpSync(repoProto, ownProto, { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || src.endsWith('.proto') });

if (process.argv.includes('--proto-only')) process.exit(0);

fs.rmSync(path.join(pkgDir, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(pkgDir, 'tsconfig.build.json')], { stdio: 'inherit' });

const names = Object.keys(require(path.join(pkgDir, 'dist/index.js'))).filter((n) => n !== 'default' && n !== '__esModule');
fs.writeFileSync(
  path.join(pkgDir, 'dist/index.mjs'),
  `// ESM entry of @hpo/client: the CommonJS build, re-exported by name.\n` +
    `import sdk from './index.js';\n\nexport const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = sdk;\n`,
);
