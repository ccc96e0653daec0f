"""A real server for the tests: `hpo serve` from the repository's dist/ on a loopback port the OS picks,
SQLite in a temporary directory. $HPO_NODE names node (default: node on the PATH); `npm run build` first."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
CLI = os.path.join(REPO, 'dist', 'apps', 'cli', 'src', 'main.js')
sys.path.insert(0, os.path.normpath(os.path.join(HERE, '..')))


class Server:
    def __init__(self, data_dir, env=None):
        if not os.path.exists(CLI):
            raise RuntimeError(f'{CLI} is missing: run `npm run build` first')
        self.data_dir = data_dir
        self.node = os.environ.get('HPO_NODE', 'node')
        full_env = {k: v for k, v in os.environ.items() if not k.startswith('HPO_')}
        full_env.update({'HPO_SUGGESTION_WORKERS': '1', 'HPO_LEASE_CHECK_INTERVAL_MS': '200'}, **(env or {}))
        self.proc = subprocess.Popen([self.node, CLI, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', data_dir,
                                      '--log-level', 'warn'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=full_env, text=True)
        self.stderr = []
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()
        for line in self.proc.stdout:
            m = re.match(r'^listening on (\S+)$', line.strip())
            if m:
                self.address = m.group(1)
                break
        else:
            raise RuntimeError('hpo serve exited before listening:\n' + ''.join(self.stderr))

    def cli(self, *args):
        """Runs an `hpo` command on this server's data dir; returns its stdout."""
        env = {k: v for k, v in os.environ.items() if not k.startswith('HPO_')}
        return subprocess.run([self.node, CLI, *args, '--data-dir', self.data_dir], check=True, capture_output=True,
                              text=True, env=env).stdout

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope='session')
def server():
    data_dir = tempfile.mkdtemp(prefix='hpo-py-sdk-')
    s = Server(data_dir)
    yield s
    s.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture()
def client(server):
    import hpo_client as hpo
    c = hpo.Client(server.address)
    yield c
    c.close()


@pytest.fixture()
def checkpoint_root(tmp_path):
    return str(tmp_path / 'checkpoints')


def quadratic_config(**overrides):
    import hpo_client as hpo
    fields = dict(
        parameters=[hpo.Double('x', -2, 2), hpo.Integer('n', 1, 8),
                    hpo.Categorical('kind', ['a', 'b'], children=[hpo.Conditional(hpo.Double('w', 0, 1), parent_categories=['b'])]),
                    hpo.Discrete('batch', [16, 32, 64])],
        metrics=[hpo.Metric('loss', 'MINIMIZE')],
        algorithm='QUASI_RANDOM_SEARCH')
    fields.update(overrides)
    return hpo.StudyConfig(**fields)


def quadratic_loss(params):
    return (params['x'] - 0.5) ** 2 + 0.01 * params['n']
