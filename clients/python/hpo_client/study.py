"""A study handle: the study's data as the server returned it, the calls that act on it, the optimize
loop, ask/tell for code that owns its loop, and what an Optuna user looks for (best_trial, trials,
trials_dataframe)."""
import math
import os
import socket

from .optimize import optimize as _optimize
from .trial import TrialContext
from . import checkpoint as checkpoints


class Study:
    def __init__(self, client, info):
        self.client = client
        self.info = info
        self.name = info.name
        self.display_name = info.display_name
        self.config = info.config
        self.state = info.state
        self.trial_counts = info.trial_counts

    def __repr__(self):
        return f'Study(name={self.name!r}, display_name={self.display_name!r}, state={self.state!r})'

    @property
    def id(self):
        return self.info.id

    @property
    def objective(self):
        return self.config.metrics[0].name

    @property
    def direction(self):
        """'maximize' or 'minimize' (Optuna's word) for the objective."""
        return self.config.metrics[0].goal.lower()

    def refresh(self):
        return self.client.get_study(self.name)

    # ---- reading ----

    def _own(self, trials):
        for t in trials:
            t.objective = self.objective
        return trials

    def get_trials(self, states=()):
        """Every trial (or those in `states`), oldest first."""
        return self._own(self.client.all_trials(self.name, states))

    @property
    def trials(self):
        return self.get_trials()

    def optimal_trials(self):
        """The best trial, or the Pareto set with several objectives."""
        return self._own(self.client.list_optimal_trials(self.name))

    @property
    def best_trial(self):
        """The best SUCCEEDED trial (None before any)."""
        best = self.optimal_trials()
        return best[0] if best else None

    @property
    def best_value(self):
        best = self.best_trial
        return best.value if best else None

    @property
    def best_params(self):
        best = self.best_trial
        return dict(best.params) if best else None

    def trials_dataframe(self):
        """One row per trial (number, state, value, params_*, values_*, times, reason) as a pandas
        DataFrame; needs pandas."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError('trials_dataframe() needs pandas (pip install pandas, or apt-get install python3-pandas)') from e
        rows = []
        for t in self.trials:
            row = {'number': t.number, 'state': t.state, 'value': t.value,
                   'datetime_start': pd.to_datetime(t.start_time, unit='s') if t.start_time else pd.NaT,
                   'datetime_complete': pd.to_datetime(t.complete_time, unit='s') if t.complete_time else pd.NaT,
                   'last_step': t.measurements[-1].step if t.measurements else None,
                   'client_id': t.client_id, 'reason': t.status_reason or t.infeasible_reason}
            row.update({f'params_{k}': v for k, v in t.params.items()})
            if t.final_measurement:
                row.update({f'values_{k}': v for k, v in t.final_measurement.metrics.items()})
            rows.append(row)
        df = pd.DataFrame(rows)
        if not df.empty:
            df['duration'] = df['datetime_complete'] - df['datetime_start']
        return df

    # ---- writing ----

    def add_trials(self, trials):
        return self._own(self.client.add_trials(self.name, trials, parameters=self.config.parameters))

    def stop_trial(self, trial):
        return self.client.stop_trial(trial)

    def delete(self):
        self.client.delete_study(self.name)

    # ---- the loop ----

    def optimize(self, objective, n_trials=None, n_workers=1, client_id=None, checkpoint_root=None, callbacks=(),
                 show_progress_bar=False, heartbeat_interval=None, poll_interval=0.5, idle_timeout=120.0,
                 max_consecutive_failures=5):
        """Runs objective(trial) on trials of this study until n_trials are finished (default: the
        study's max_trials) with n_workers threads; callbacks(study, trial) run as each trial finishes.
        See hpo_client.optimize for what each outcome does. Returns an OptimizeResult."""
        return _optimize(self, objective, n_trials, n_workers, client_id, checkpoint_root, callbacks,
                         show_progress_bar, heartbeat_interval, poll_interval, idle_timeout, max_consecutive_failures)

    # ---- ask / tell ----

    def ask(self, client_id=None, checkpoint_root=None):
        """A trial to evaluate, as a TrialContext (params, report, checkpoints), or None when the study
        hands out nothing now. A client_id that holds an ACTIVE trial gets that trial back (one trial at
        a time per client id; use one id per concurrent worker). Keep its lease alive with
        heartbeat() when an evaluation takes longer than the study's lease."""
        cid = client_id or f'{socket.gethostname()}-{os.getpid()}'
        reply = self.client.suggest_trials(self.name, cid)
        if not reply.trials:
            return None
        return TrialContext(self.client, reply.trials[0], [m.name for m in self.config.metrics],
                            checkpoint_root or checkpoints.default_checkpoint_root(), cid)

    def heartbeat(self, client_id):
        return self.client.heartbeat(self.name, client_id=client_id)

    def tell(self, trial, value=None, state=None, reason=''):
        """Finishes an asked trial: a number or metrics dict completes it (None: with its last report);
        state='FAILED' or a NaN/infinite value fails it; state='INFEASIBLE' completes it infeasible."""
        name = trial if isinstance(trial, str) else trial.name
        client_id = getattr(trial, 'client_id', '')
        if state == 'INFEASIBLE':
            return self.client.complete_trial(name, infeasible_reason=reason or 'infeasible', client_id=client_id)
        if state == 'FAILED':
            return self.client.fail_trial(name, reason or 'failed by the client', client_id=client_id)
        if state not in (None, 'SUCCEEDED'):
            raise ValueError(f"state must be None, 'SUCCEEDED', 'FAILED' or 'INFEASIBLE' (got {state!r})")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isfinite(value):
            return self.client.fail_trial(name, f'the objective value is {value!r}, not a finite number', client_id=client_id)
        metrics = None if value is None else (value if isinstance(value, dict) else {self.objective: value})
        step = max(0, getattr(trial, 'last_reported_step', 0))
        done = self.client.complete_trial(name, metrics, step=step, client_id=client_id)
        done.objective = self.objective
        return done
