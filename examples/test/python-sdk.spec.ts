/** The Python SDK (clients/python, package hpo_client) and the Python examples: its build step generates
 *  the stubs from proto/, it installs with pip (offline, Debian's grpcio-tools at build time), and its
 *  pytest suite runs against real servers under /usr/bin/python3. Needs Debian's python3-grpcio,
 *  python3-protobuf, python3-grpc-tools and python3-pytest; skips with the reason otherwise (torch,
 *  scikit-learn, pandas and tqdm only widen what runs). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(__dirname, '../..');
const SDK = path.join(REPO, 'clients/python');

const probe = spawnSync(PYTHON, ['-c', 'import grpc, google.protobuf, grpc_tools.protoc, pytest'], { encoding: 'utf8' });
const ready = probe.status === 0;
if (!ready) {
  console.warn(
    `Skipping the Python SDK tests: ${PYTHON} cannot import grpc, protobuf, grpc_tools and pytest ` +
      `(apt-get install python3-grpcio python3-protobuf python3-grpc-tools python3-pytest). ${probe.error?.message ?? probe.stderr ?? ''}`,
  );
}

(ready ? describe : describe.skip)('Python SDK hpo_client', () => {
  it('generates its stubs from proto/ (its build step)', () => {
    const run = spawnSync(PYTHON, [path.join(SDK, 'build_stubs.py')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(SDK, 'hpo_client/_proto/hpo/v1/study_service_pb2_grpc.py'))).toBe(true);
  });

  it('installs with pip and imports from elsewhere, with only grpcio and protobuf as runtime dependencies', () => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-client-py-'));
    try {
      const install = spawnSync(PYTHON, ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-build-isolation', '--no-index', '--target', target, SDK], {
        encoding: 'utf8',
        env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      });
      expect({ status: install.status, stderr: install.status === 0 ? '' : install.stderr }).toEqual({ status: 0, stderr: '' });
      const check = spawnSync(
        PYTHON,
        ['-c', [
          'import hpo_client, importlib.metadata as m, json, re',
          'print(hpo_client.__file__)',
          'print(json.dumps(sorted(re.split(r"[ ;<>=(]", r)[0] for r in m.requires("hpo-client") if "extra" not in r)))',
        ].join('\n')],
        { cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, PYTHONPATH: target } },
      );
      expect(check.status).toBe(0);
      const [file, requires] = check.stdout.trim().split('\n');
      expect(file.startsWith(target)).toBe(true);
      expect(JSON.parse(requires)).toEqual(['grpcio', 'protobuf']);
      expect(fs.existsSync(path.join(target, 'hpo_client/_proto/hpo/v1/study_pb2.py'))).toBe(true);
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
      fs.rmSync(path.join(SDK, 'build'), { recursive: true, force: true });
    }
  });

  it('passes its pytest suite against real servers (optimize with 4 workers, pause/resume, a killed worker restarted, failing trials, typed errors, examples)', () => {
    const run = spawnSync(PYTHON, ['-m', 'pytest', '-q', '-rs', '-p', 'no:cacheprovider', 'tests'], {
      cwd: SDK,
      encoding: 'utf8',
      env: { ...process.env, HPO_NODE: process.execPath, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 900_000,
    });
    const summary = run.stdout.trim().split('\n').slice(-12).join('\n');
    if (run.status !== 0) throw new Error(`pytest failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    if (/skipped/.test(summary)) console.warn(`Python SDK: some tests skipped:\n${summary}`);
    expect(summary).toMatch(/\d+ passed/);
  }, 900_000);
});
