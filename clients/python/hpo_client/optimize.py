"""Study.optimize: n_workers threads each ask for a trial (client id f'{client_id}-w{i}', so a restarted
process with the same client_id gets its ACTIVE trials back), run the objective with heartbeats, and
finish the trial, until n_trials are finished or the study is done.

What happens with the objective's outcome:
- returns a number (the objective) or a dict of metrics: the trial is completed with them;
- returns None: completed with its last report (FAILED when it reported nothing);
- its last report answered PAUSE: nothing is completed (the server holds the trial PAUSED and may hand
  it back later with resume_from_step; the objective should save_checkpoint first);
- STOP (early stopping, or StopTrial heard by heartbeat): completed with the return value or last report;
- returns or reports NaN, an infinity or a metric the study lacks, or raises: the trial is FAILED with the
  reason and the loop goes on; TrialInfeasible completes it INFEASIBLE instead.
The loop ends only on a service error (an HpoError from its own calls, re-raised) or after
max_consecutive_failures failed trials in a row (a bug in the objective)."""
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import List, Optional

from . import checkpoint as checkpoints
from .errors import HpoError, InvalidArgumentError, TrialFailed, TrialInfeasible
from .trial import TrialContext
from .types import Trial
from .wire import measurement_problem

DEFAULT_LEASE_SECONDS = 300.0


@dataclass
class OptimizeResult:
    finished: int = 0
    succeeded: int = 0
    infeasible: int = 0
    failed: int = 0
    stopped: int = 0
    paused: int = 0
    trials: List[Trial] = field(default_factory=list)  # finished by this call, in order
    best: Optional[Trial] = None  # the study's best trial at the end, across every worker


class TooManyFailures(RuntimeError):
    """max_consecutive_failures trials failed in a row: a bug in the objective, not a bad configuration."""


def _truncate(reason, limit=2000):
    return reason if len(reason) <= limit else reason[:limit - 1] + '…'


def _progress_bar(total, enabled):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total or None, unit='trial', desc='trials')


class _Loop:
    def __init__(self, study, objective, n_trials, n_workers, client_id, checkpoint_root, callbacks,
                 show_progress_bar, heartbeat_interval, poll_interval, idle_timeout, max_consecutive_failures):
        self.study = study
        self.client = study.client
        self.objective = objective
        self.metric_names = [m.name for m in study.config.metrics]
        self.goal = study.config.metrics[0].goal
        self.target = n_trials if n_trials is not None else study.config.max_trials
        if not isinstance(self.target, int) or self.target < 0:
            raise ValueError(f'n_trials must be an integer >= 0, got {n_trials!r}')
        if not isinstance(n_workers, int) or n_workers < 1:
            raise ValueError(f'n_workers must be an integer >= 1, got {n_workers!r}')
        self.n_workers = n_workers
        self.client_id = client_id or f'{socket.gethostname()}-{os.getpid()}'
        self.checkpoint_root = checkpoint_root or checkpoints.default_checkpoint_root()
        self.callbacks = list(callbacks or ())
        lease = study.config.lease_seconds or DEFAULT_LEASE_SECONDS
        self.heartbeat_interval = heartbeat_interval or max(0.1, lease / 3)
        self.poll_interval = poll_interval
        self.idle_timeout = idle_timeout
        self.max_consecutive_failures = max_consecutive_failures
        self.result = OptimizeResult()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.running = 0
        self.training = 0
        self.idle_since = None
        self.study_done = False
        self.consecutive_failures = 0
        self.best_value = None
        self.fatal = None
        self.held = {}  # trial name -> (slot client id, TrialContext)
        self.bar = _progress_bar(self.target, show_progress_bar)

    # ---- bookkeeping ----

    def _finished(self, trial, kind):
        with self.lock:
            r = self.result
            r.finished += 1
            setattr(r, kind, getattr(r, kind) + 1)
            trial.objective = self.metric_names[0]
            r.trials.append(trial)
            value = trial.value
            if value is not None and (self.best_value is None or (value < self.best_value if self.goal == 'MINIMIZE' else value > self.best_value)):
                self.best_value = value
            if self.bar is not None:
                self.bar.update(1)
                if self.best_value is not None:
                    self.bar.set_postfix(best=self.best_value, refresh=False)
        for callback in self.callbacks:
            callback(self.study, trial)

    def _fail(self, ctx, reason, cause=None):
        failed = self.client.fail_trial(ctx.name, _truncate(reason), client_id=ctx.client_id)
        with self.lock:
            self.consecutive_failures += 1
            too_many = self.consecutive_failures >= self.max_consecutive_failures
            count = self.consecutive_failures
        self._finished(failed, 'failed')
        if too_many:
            raise TooManyFailures(f'{count} trials in a row failed; the last: {reason}') from cause

    def _succeeded(self):
        with self.lock:
            self.consecutive_failures = 0

    # ---- one trial ----

    def run_trial(self, trial, slot_id):
        ctx = TrialContext(self.client, trial, self.metric_names, self.checkpoint_root, slot_id)
        if not ctx.is_resumed:
            checkpoints.clear_checkpoint(ctx.checkpoint_dir)
        with self.lock:
            self.held[trial.name] = (slot_id, ctx)
        try:
            outcome, error = self.objective(ctx), None
        except HpoError:
            raise  # the service failed, not the configuration
        except TrialInfeasible as e:
            outcome, error = None, e
        except Exception as e:  # noqa: BLE001 — any error of the objective fails only its trial
            outcome, error = None, e
        finally:
            with self.lock:
                self.held.pop(trial.name, None)

        if isinstance(error, TrialInfeasible):
            done = self.client.complete_trial(ctx.name, infeasible_reason=_truncate(error.reason), client_id=slot_id)
            self._succeeded()
            self._finished(done, 'infeasible')
            return
        if error is not None:
            reason = error.reason if isinstance(error, TrialFailed) else f'{type(error).__name__}: {error}'
            self._fail(ctx, reason, error)
            return
        if ctx.should_pause():
            self._succeeded()
            with self.lock:
                self.result.paused += 1
            return
        if outcome is None:
            if ctx.last_reported_step < 0:
                self._fail(ctx, 'the objective returned no value and reported no measurement')
                return
            metrics = None
        else:
            metrics = outcome if isinstance(outcome, dict) else {self.metric_names[0]: outcome}
            try:
                problem = measurement_problem(metrics, self.metric_names, final=True)
            except (TypeError, ValueError) as e:
                problem = str(e)
            if problem:
                self._fail(ctx, f'the objective returned an unusable result: {problem}')
                return
        try:
            done = self.client.complete_trial(ctx.name, metrics, step=max(0, ctx.last_reported_step),
                                              elapsed_seconds=ctx.elapsed_seconds(), client_id=slot_id)
        except InvalidArgumentError as e:  # a rule the local check does not know: this trial's fault
            self._fail(ctx, f'CompleteTrial refused: {e.details}', e)
            return
        self._succeeded()
        self._finished(done, 'stopped' if ctx.should_stop() else 'succeeded')

    # ---- threads ----

    def slot(self, index):
        slot_id = f'{self.client_id}-w{index}'
        try:
            while not self.stop.is_set():
                with self.lock:
                    if self.study_done or (self.target > 0 and self.result.finished + self.running >= self.target):
                        return
                    self.running += 1
                handed = None
                try:
                    reply = self.client.suggest_trials(self.study.name, slot_id)
                    handed = reply.trials[0] if reply.trials else None
                    if handed is None:
                        if reply.study_done:
                            with self.lock:
                                self.study_done = True
                    else:
                        with self.lock:
                            self.idle_since = None
                            self.training += 1
                        try:
                            self.run_trial(handed, slot_id)
                        finally:
                            with self.lock:
                                self.training -= 1
                finally:
                    with self.lock:
                        self.running -= 1
                if handed is None and not self.study_done:
                    # While a slot trains, its outcome may open new work (a thaw, a free max_parallel
                    # slot): wait. With none training, give up after idle_timeout.
                    with self.lock:
                        now = time.monotonic()
                        if self.training > 0 or self.idle_since is None:
                            self.idle_since = None if self.training > 0 else now
                        elif now - self.idle_since > self.idle_timeout:
                            return
                    self.stop.wait(self.poll_interval)
        except BaseException as e:  # noqa: BLE001 — the first fatal error ends every slot
            with self.lock:
                if self.fatal is None:
                    self.fatal = e
            self.stop.set()

    def heartbeats(self, done):
        while not done.wait(self.heartbeat_interval):
            with self.lock:
                holders = {}
                for name, (slot_id, ctx) in self.held.items():
                    holders.setdefault(slot_id, []).append(ctx)
            for slot_id, contexts in holders.items():
                try:
                    beat = self.client.heartbeat(self.study.name, client_id=slot_id)
                except HpoError:
                    continue  # the next beat retries; a lost lease shows at the next report
                stopping = set(beat.stopping_trial_names)
                for ctx in contexts:
                    if ctx.name in stopping:
                        ctx._mark_stop_requested()

    def run(self):
        done = threading.Event()
        beat = threading.Thread(target=self.heartbeats, args=(done,), name='hpo-heartbeat', daemon=True)
        beat.start()
        workers = [threading.Thread(target=self.slot, args=(i,), name=f'hpo-worker-{i}', daemon=True)
                   for i in range(self.n_workers)]
        for w in workers:
            w.start()
        try:
            for w in workers:
                while w.is_alive():
                    w.join(0.2)
        except KeyboardInterrupt:
            self.stop.set()  # no new trials; the running objectives finish (threads cannot be interrupted)
            raise
        finally:
            done.set()
            beat.join()
            if self.bar is not None:
                self.bar.close()
        if self.fatal is not None:
            raise self.fatal
        best = self.client.list_optimal_trials(self.study.name)
        if best:
            best[0].objective = self.metric_names[0]
            self.result.best = best[0]
        return self.result


def optimize(study, objective, n_trials=None, n_workers=1, client_id=None, checkpoint_root=None, callbacks=(),
             show_progress_bar=False, heartbeat_interval=None, poll_interval=0.5, idle_timeout=120.0,
             max_consecutive_failures=5):
    return _Loop(study, objective, n_trials, n_workers, client_id, checkpoint_root, callbacks, show_progress_bar,
                 heartbeat_interval, poll_interval, idle_timeout, max_consecutive_failures).run()

