"""A worker process killed mid-training (SIGKILL) and started again with the same client_id gets its
ACTIVE trial back and resumes it from the last checkpoint: nothing retrained, nothing lost, no new trial."""
import json
import os
import signal
import subprocess
import sys

from conftest import quadratic_config

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'worker.py')


def test_killed_worker_restarts_with_the_same_client_id(client, server, checkpoint_root):
    study = client.create_study('py-restart', quadratic_config())
    args = [sys.executable, WORKER, server.address, study.name, 'crashy', checkpoint_root]
    first = subprocess.Popen(args + ['--announce'], stdout=subprocess.PIPE, text=True)
    for line in first.stdout:
        if line.strip() == 'saved 3':
            first.send_signal(signal.SIGKILL)
            break
    first.wait(10)
    assert first.returncode == -signal.SIGKILL
    [held] = study.trials
    assert held.state == 'ACTIVE' and held.client_id == 'crashy-w0'
    assert [m.step for m in held.measurements] == [1, 2, 3]

    second = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    out = json.loads(second.stdout.strip().splitlines()[-1])
    assert out['runs'] == [{'trial': held.id, 'resume_from_step': 4, 'restored': {'weights': 6}, 'steps': [4, 5]}]
    assert out['trial'] == held.id and abs(out['value'] - 1 / 15) < 1e-12
    [trial] = study.trials
    assert trial.state == 'SUCCEEDED' and [m.step for m in trial.measurements] == [1, 2, 3, 4, 5]
