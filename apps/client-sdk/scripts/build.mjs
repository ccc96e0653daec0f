// Builds the @hpo/client package on its own: copies the .proto contract from the repository's proto/
// into the package (so the published package carries the very files the server serves), generates the
// wire messages' TypeScript types from it into src/generated (below), compiles src/ to dist/ (CommonJS +
// .d.ts), and writes dist/index.mjs, the ESM entry that re-exports the CommonJS build by name (one
// implementation, so `instanceof HpoClientError` holds in both).
// `--proto-only` just refreshes the copy and the types (the repository's `npm run build` does, so the
// sources never load a stale contract and the server, which imports the same types, never typechecks
// against one).
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

// The wire types: @grpc/proto-loader's own generator (proto-loader-gen-types, the version
// package-lock.json pins) with the options every loader here uses (camelCase fields, int64 as numbers,
// enums as strings, defaults, oneof names). Per message, the type a sender may write (`StudyConfig`)
// and the one a receiver gets (`StudyConfig__Output`). Generated, not committed (.gitignore): sources
// import them with `import type` only, so jest, which strips types, runs without them.
const generated = path.join(pkgDir, 'src/generated');
fs.rmSync(generated, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js'),
    ...['--longs=Number', '--enums=String', '--defaults', '--oneofs', '--includeComments', '--grpcLib=@grpc/grpc-js'],
    ...['-I', 'proto', '-O', 'src/generated', 'hpo/v1/study.proto', 'hpo/v1/study_service.proto'],
  ],
  { cwd: pkgDir, stdio: ['ignore', 'ignore', 'inherit'] },
);

if (process.argv.includes('--proto-only')) process.exit(0);

fs.rmSync(path.join(pkgDir, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(pkgDir, 'tsconfig.build.json')], { stdio: 'inherit' });
// The wire types are imported with `import type` only: the package ships their declarations, not the
// (never loaded) JavaScript tsc emits beside them.
for (const entry of fs.readdirSync(path.join(pkgDir, 'dist/generated'), { recursive: true })) {
  if (String(entry).endsWith('.js')) fs.rmSync(path.join(pkgDir, 'dist/generated', String(entry)));
}

const names = Object.keys(require(path.join(pkgDir, 'dist/index.js'))).filter((n) => n !== 'default' && n !== '__esModule');
fs.writeFileSync(
  path.join(pkgDir, 'dist/index.mjs'),
  `// ESM entry of @hpo/client: the CommonJS build, re-exported by name.\n` +
    `import sdk from './index.js';\n\nexport const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = sdk;\n`,
);
