"""The examples in examples/python run against a real server (each skips without its library)."""
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO

EXAMPLES = os.path.join(REPO, 'examples', 'python')


def run(script, *args):
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, script), *args], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_pytorch_pause_resume(server, tmp_path):
    pytest.importorskip('torch')
    r = run('pytorch_pause_resume.py', '--address', server.address, '--trials', '6', '--workers', '2', '--epochs', '6',
            '--checkpoint-root', str(tmp_path))
    assert r['best']['val_accuracy'] > 0.8  # a small MLP on the digits after a few epochs
    import hpo_client as hpo
    with hpo.Client(server.address) as c:
        trials = c.get_study(r['study']).trials
    assert len(trials) == 6 and r['finished'] + r['paused'] >= 6
    for t in trials:  # paused and resumed or not, every curve is contiguous: nothing retrained or skipped
        steps = [m.step for m in t.measurements]
        assert steps == list(range(1, len(steps) + 1))
    for resumed in r['resumed']:  # a thawed trial loaded the weights saved at its pause and went on
        assert resumed['checkpoint_epoch'] == resumed['resume_from_step'] - 1
        assert trials[resumed['trial'] - 1].measurements[-1].step >= resumed['resume_from_step']


def test_sklearn(server):
    pytest.importorskip('sklearn')
    r = run('sklearn_digits.py', '--address', server.address, '--trials', '6', '--workers', '4')
    assert 0.5 < r['best']['accuracy'] <= 1


def test_raw_stubs_example(server):
    r = run('client.py', '--address', server.address, '--trials', '3', '--study', 'raw-stubs')
    assert len(r['trials']) == 3
