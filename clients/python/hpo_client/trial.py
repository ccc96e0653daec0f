"""What an objective gets: the trial's parameters, where to resume, a checkpoint folder, and report()
that returns the server's decision (CONTINUE / STOP / PAUSE)."""
import threading
import time

from . import checkpoint as checkpoints
from .errors import InvalidArgumentError, TrialFailed
from .types import Decision
from .wire import measurement_problem


class TrialContext:
    def __init__(self, client, trial, metric_names, checkpoint_root, client_id):
        self._client = client
        self.trial = trial
        self.name = trial.name
        self.id = trial.id
        self.params = dict(trial.params)
        self.client_id = client_id
        self._metrics = list(metric_names)
        last = trial.measurements[-1] if trial.measurements else None
        self._last_step = last.step if last else -1
        self._elapsed_before = last.elapsed_seconds if last else 0.0
        self._started = time.monotonic()
        # A trial handed back ACTIVE to a restarted worker has a curve but resume_from_step 0: resume
        # after its last reported step (its checkpoint, if any, says where training really is).
        self.resume_from_step = trial.resume_from_step if trial.resume_from_step > 0 else (last.step + 1 if last else 0)
        self.checkpoint_dir = checkpoints.trial_checkpoint_dir(checkpoint_root, trial.name)
        self._decision = Decision('CONTINUE')
        self._stop_requested = threading.Event()
        self.current = trial

    @property
    def number(self):
        return self.id

    @property
    def is_resumed(self):
        return self.resume_from_step > 0

    @property
    def decision(self):
        """The last decision received (CONTINUE before any report)."""
        return self._decision

    @property
    def last_reported_step(self):
        return self._last_step

    def should_stop(self):
        """STOP was decided, or StopTrial was called on this trial (heard by heartbeat)."""
        return self._decision.should_stop or self._stop_requested.is_set()

    def should_pause(self):
        return self._decision.should_pause

    def elapsed_seconds(self):
        return self._elapsed_before + time.monotonic() - self._started

    def _mark_stop_requested(self):
        self._stop_requested.set()

    def report(self, step, value, elapsed_seconds=None):
        """Reports one point of the learning curve; returns the Decision. A number is the objective.

        A NaN or infinite value, or a metric the study does not have, is not sent: TrialFailed is raised
        and the optimize loop fails the trial (FAILED) and goes on; so does a measurement the server
        refuses. A step already recorded (a restarted worker replaying) is not sent again (CONTINUE);
        after PAUSE or STOP nothing more is sent and the same decision comes back."""
        if self._decision.should_pause or self._decision.should_stop:
            return self._decision
        if step <= self._last_step:
            return Decision('CONTINUE', f'step {step} was already reported')
        metrics = value if isinstance(value, dict) else {self._metrics[0]: value}
        problem = measurement_problem(metrics, self._metrics, final=False)
        if problem:
            raise TrialFailed(f'report at step {step}: {problem}')
        try:
            r = self._client.report_intermediate(self.name, step, metrics,
                                                 self.elapsed_seconds() if elapsed_seconds is None else elapsed_seconds,
                                                 client_id=self.client_id)
        except InvalidArgumentError as e:
            raise TrialFailed(f'report at step {step} refused: {e.details}') from e
        self._last_step = step
        self._decision = r.decision
        if r.trial.name == self.name:
            self.current = r.trial
        return r.decision

    def save_checkpoint(self, state, step=None):
        """Saves `state` (anything picklable) as this trial's checkpoint at `step` (default: the last
        reported step). Write big files (model weights) into checkpoint_dir first: the manifest is last."""
        checkpoints.save_checkpoint(self.checkpoint_dir, self._last_step if step is None else step, state)

    def load_checkpoint(self):
        """The Checkpoint(step, state, saved_at) saved by save_checkpoint, or None."""
        return checkpoints.load_checkpoint(self.checkpoint_dir)
