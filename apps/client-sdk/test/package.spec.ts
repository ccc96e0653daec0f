/** @hpo/client as users get it: `npm pack` the package (the README's command), install the tarball into a scratch project
 *  outside the repository (offline, from the npm cache the repository's install filled), and run a
 *  study against a real server from there, from CommonJS and from ESM; its types check in both. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeBlocks, firstCommand } from '../../../examples/test/support/readme-blocks';
import { scratchLock } from './support/scratch-lock';
import { ServeProcess, startServe, tempDir } from './support/hpo-serve';

const REPO = path.resolve(__dirname, '../../..');
const PACKAGE_DIR = path.join(REPO, 'apps/client-sdk');
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');

const STUDY_SCRIPT = (importLine: string, label: string): string => `${importLine}
const client = new HpoClient({ address: process.argv[2] });
const study = await client.createStudy({
  displayName: 'from-${label}',
  config: {
    parameters: [{ name: 'x', type: 'DOUBLE', min: -2, max: 2 }],
    metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
    algorithm: 'QUASI_RANDOM_SEARCH',
  },
});
const result = await study.optimize(async (trial) => {
  await trial.report(1, 10);
  return trial.id === 2 ? NaN : (trial.params.x - 0.5) ** 2;
}, { trials: 4, parallel: 2, clientId: '${label}' });
const err = await client.getStudy('studies/99999').catch((e) => e);
const byName = await client.getStudy('from-${label}');
console.log(JSON.stringify({
  protoDir: findProtoDir(),
  finished: result.finished,
  failed: result.failed,
  best: result.best.finalMeasurement.metrics.loss,
  typedError: err instanceof HpoClientError && err.code,
  byName: byName.name === study.name,
}));
client.close();
`;

describe('@hpo/client packed and installed outside the repository', () => {
  let server: ServeProcess;
  let scratch: string;
  let packed: { filename: string; files: Array<{ path: string }> };

  beforeAll(async () => {
    scratch = tempDir('hpo-client-package-');
    // The README's command, as written (prepack builds the package: its proto copy, dist/, the ESM entry).
    const readmePack = codeBlocks(path.join(REPO, 'README.md')).map(firstCommand).find((c) => c.startsWith('(cd apps/client-sdk && npm pack)'));
    if (!readmePack) throw new Error('README.md has no `(cd apps/client-sdk && npm pack)` block');
    const out = execFileSync('bash', ['-c', readmePack], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const filename = out.trim().split('\n').pop()!;
    expect(filename).toBe('hpo-client-0.1.0.tgz');
    fs.renameSync(path.join(PACKAGE_DIR, filename), path.join(scratch, filename));
    const listing = execFileSync('tar', ['-tzf', path.join(scratch, filename)], { encoding: 'utf8' });
    packed = { filename, files: listing.trim().split('\n').map((f) => ({ path: f.replace(/^package\//, '') })) };
    const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
    const project = 'hpo-client-scratch';
    fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: project, private: true, dependencies: { '@hpo/client': `file:${packed.filename}` } }));
    const lock = scratchLock(path.join(REPO, 'package-lock.json'), path.join(scratch, packed.filename), manifest.dependencies, project);
    fs.writeFileSync(path.join(scratch, 'package-lock.json'), JSON.stringify(lock, null, 2));
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: scratch, stdio: 'pipe' });
    server = await startServe();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('ships dist (CommonJS, ESM entry, .d.ts) and the .proto contract, identical to proto/, and depends only on grpc-js and proto-loader', () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'proto/hpo/v1/study.proto', 'proto/hpo/v1/study_service.proto']));
    // dist/generated: the declarations of the wire types generated from the .proto (no JavaScript).
    expect(files.filter((f) => !/^(dist\/[\w-]+\.(js|mjs|d\.ts)|dist\/generated\/(google\/protobuf|hpo\/v1)\/\w+\.d\.ts|dist\/generated\/\w+\.d\.ts|proto\/hpo\/v1\/\w+\.proto|package\.json|README\.md)$/.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['dist/generated/hpo/v1/StudyConfig.d.ts', 'dist/generated/hpo/v1/Trial.d.ts']));
    const installed = path.join(scratch, 'node_modules/@hpo/client');
    for (const file of ['study.proto', 'study_service.proto']) {
      expect(fs.readFileSync(path.join(installed, 'proto/hpo/v1', file), 'utf8')).toBe(fs.readFileSync(path.join(REPO, 'proto/hpo/v1', file), 'utf8'));
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@grpc/grpc-js', '@grpc/proto-loader']);
    expect(manifest.peerDependencies).toBeUndefined();
  });

  it.each([
    ['CommonJS', 'study.cjs', `const { HpoClient, HpoClientError, findProtoDir } = require('@hpo/client');\n(async () => {`, '})();'],
    ['ESM', 'study.mjs', `import { HpoClient, HpoClientError, findProtoDir } from '@hpo/client';`, ''],
  ])('runs a study from %s: a NaN trial fails, the loop goes on', (label, file, head, tail) => {
    fs.writeFileSync(path.join(scratch, file), STUDY_SCRIPT(head, label.toLowerCase()) + tail);
    const env = { ...process.env };
    delete env.HPO_PROTO_DIR;
    const out = execFileSync(process.execPath, [file, server.address], { cwd: scratch, encoding: 'utf8', env });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r).toEqual({
      protoDir: path.join(fs.realpathSync(scratch), 'node_modules/@hpo/client/proto'),
      finished: 4,
      failed: 1,
      best: expect.any(Number),
      typedError: 'NOT_FOUND',
      byName: true,
    });
  });

  it('type-checks a TypeScript user of the package, as CommonJS and as ESM', () => {
    const code = `import { HpoClient, HpoClientError, type OptimizeProgress, type StudyConfig } from '@hpo/client';
const config: StudyConfig = { parameters: [{ name: 'lr', type: 'DOUBLE', min: 1e-4, max: 1, scale: 'LOG' }], metrics: [{ name: 'acc', goal: 'MAXIMIZE' }] };
export async function run(): Promise<number | undefined> {
  const client = new HpoClient();
  const study = await client.createStudy({ displayName: 'typed', config, ifExists: 'RETURN_EXISTING' });
  const result = await study.optimize(async (trial) => {
    const d = await trial.report(1, { acc: Number(trial.params.lr) });
    return d.shouldStop ? undefined : 0.5;
  }, { trials: 2, onProgress: (p: OptimizeProgress) => console.log(p.finished) });
  const e: unknown = undefined;
  if (e instanceof HpoClientError) console.log(e.code, e.retryAfterMs);
  return result.best?.finalMeasurement?.metrics.acc;
}
`;
    fs.writeFileSync(path.join(scratch, 'typed.cts'), code);
    fs.writeFileSync(path.join(scratch, 'typed.mts'), code);
    fs.writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'ES2022', strict: true, noEmit: true, types: ['node'], typeRoots: [path.join(REPO, 'node_modules/@types')] },
        files: ['typed.cts', 'typed.mts'],
      }),
    );
    execFileSync(process.execPath, [TSC, '-p', scratch], { cwd: scratch, encoding: 'utf8' });
  });
});
