/** Every fenced block of the README: TypeScript blocks type-check as a user's code (importing
 *  '@hpo/client'); shell blocks run exactly as written (bash -eu, from a scratch folder inside the
 *  clone, where `npx hpo` resolves the project's bin), except the few listed with the reason. */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeBlocks, firstCommand } from './support/readme-blocks';

const REPO = path.resolve(__dirname, '../..');
const README = path.join(REPO, 'README.md');
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');

/** Shell blocks not run here, by their first command, and why. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm run demo     # install, build, and tune a real neural network on real data':
    'reinstalls node_modules under the running tests; .ci/run runs `npm ci` and `npm test`, and apps/cli/test/demo.spec.ts the demo',
  '(cd apps/client-sdk && npm pack)   # builds it and writes apps/client-sdk/hpo-client-0.1.0.tgz':
    'apps/client-sdk/test/package.spec.ts runs it as written and installs the tarball it writes',
  'python3 -m pip install /path/to/the/clone/clients/python':
    'the path stands for the reader\'s clone; examples/test/python-sdk.spec.ts installs clients/python with pip (offline) and imports it from elsewhere',
  'npx hpo serve --host 0.0.0.0 --port 50051 --database-url postgres://hpo@db.internal:5432/hpo':
    'needs a PostgreSQL server at db.internal and blocks while serving; apps/cli/test/postgres.spec.ts covers serve and tenants on PostgreSQL',
};

function scratchDir(prefix: string): string {
  const root = path.join(REPO, 'test-artifacts');
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, prefix));
}

describe('README code blocks', () => {
  const blocks = codeBlocks(README);
  const shell = blocks.filter((b) => b.lang === 'sh' || b.lang === 'bash');
  const typescript = blocks.filter((b) => b.lang === 'ts');

  it('has only languages this test knows, and every skipped shell block still exists', () => {
    expect(blocks.filter((b) => !['sh', 'bash', 'ts', 'python'].includes(b.lang)).map((b) => `${b.line}: ${b.lang}`)).toEqual([]);
    const firsts = shell.map(firstCommand);
    for (const skipped of Object.keys(NOT_RUN)) expect(firsts).toContain(skipped);
  });

  const runnable = shell.filter((b) => !(firstCommand(b) in NOT_RUN));
  it.each(runnable.map((b) => [b.line, b] as const))('runs the shell block at README.md:%i as written', (_line, block) => {
    const cwd = scratchDir('readme-sh-');
    try {
      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HPO_')) env[k] = v;
      // After the block: what a variable it assigned holds, to check captures like KEY=$(...).
      const script = `set -euo pipefail\n${block.code}\ndeclare -p KEY 2>/dev/null || true\n`;
      // Each `npx hpo` starts node and npm: seconds alone, tens of seconds on a loaded 2-core machine.
      const run = spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8', timeout: 480_000 });
      expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
      const key = /declare -- KEY="([^"]*)"/.exec(run.stdout);
      if (block.code.includes('KEY=$(')) expect(key?.[1]).toMatch(/^hpo_[A-Za-z0-9_-]{20,}$/);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, 500_000);

  it('type-checks every TypeScript block as a user of @hpo/client (ESM; CommonJS too without top-level await)', () => {
    const dir = scratchDir('readme-ts-');
    try {
      const files: string[] = [];
      for (const b of typescript) {
        files.push(`block-${b.line}.mts`);
        fs.writeFileSync(path.join(dir, `block-${b.line}.mts`), b.code);
        if (!/^(await |const \w+ = await )/m.test(b.code)) {
          files.push(`block-${b.line}.cts`);
          fs.writeFileSync(path.join(dir, `block-${b.line}.cts`), b.code);
        }
      }
      expect(files.length).toBeGreaterThanOrEqual(3);
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'node16',
            moduleResolution: 'node16',
            target: 'ES2022',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
            typeRoots: [path.join(REPO, 'node_modules/@types')],
            paths: { '@hpo/client': [path.join(REPO, 'apps/client-sdk/src/index.ts')] },
          },
          files,
        }),
      );
      const out = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
      const located = out.stdout.replace(/block-(\d+)\.[mc]ts\((\d+),/g, (_m, start, l) => `README.md:${Number(start) + Number(l)} (`);
      expect(located).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('compiles every Python block', () => {
    const python = blocks.filter((b) => b.lang === 'python');
    for (const b of python) {
      execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: b.code });
    }
  });
});
