"""Per-trial checkpoint folders: a paused trial's training state waits here until SuggestTrials hands
the trial back (with resume_from_step) and the objective restores it. The manifest (checkpoint.pkl,
pickled) is written last and by rename, so a crash mid-save leaves the previous checkpoint whole."""
import os
import pickle
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from typing import Any

MANIFEST = 'checkpoint.pkl'


@dataclass
class Checkpoint:
    step: int  # the last step the saved state has trained; the trial resumes at step + 1
    state: Any
    saved_at: float


def default_checkpoint_root():
    return os.environ.get('HPO_CHECKPOINT_ROOT') or os.path.join(tempfile.gettempdir(), 'hpo-checkpoints')


def trial_checkpoint_dir(root, trial_name):
    """'studies/7/trials/3' under root -> root/studies_7/trial-3 (the TypeScript SDK's layout)."""
    m = re.match(r'^(studies/[^/]+)/trials/([^/]+)$', trial_name)
    if not m:
        raise ValueError(f'trial name {trial_name!r} is not "studies/{{id}}/trials/{{id}}"')
    return os.path.join(root, re.sub(r'[^A-Za-z0-9._-]', '_', m.group(1)), f'trial-{m.group(2)}')


def save_checkpoint(directory, step, state):
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f'{MANIFEST}.{os.getpid()}.tmp')
    with open(tmp, 'wb') as f:
        pickle.dump(Checkpoint(step, state, time.time()), f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(directory, MANIFEST))


def load_checkpoint(directory):
    try:
        with open(os.path.join(directory, MANIFEST), 'rb') as f:
            return pickle.load(f)
    except FileNotFoundError:
        return None


def clear_checkpoint(directory):
    shutil.rmtree(directory, ignore_errors=True)
