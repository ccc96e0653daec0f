"""Study.optimize against a real server: 4 workers, heartbeats, failing trials without ending the loop,
callbacks once per finished trial, ask/tell, trials_dataframe."""
import math
import threading
import time

import pytest

import hpo_client as hpo
from conftest import quadratic_config, quadratic_loss


def test_four_workers_every_trial_once(client, checkpoint_root):
    study = client.create_study('py-parallel', quadratic_config(max_trials=12))
    lock = threading.Lock()
    seen, running, max_running, finished = [], [0], [0], []

    def objective(trial):
        with lock:
            seen.append(trial.id)
            running[0] += 1
            max_running[0] = max(max_running[0], running[0])
        try:
            loss = quadratic_loss(trial.params)
            for step in (1, 2, 3):
                time.sleep(0.05)
                assert trial.report(step, loss + 1 / step).decision == 'CONTINUE'
            return loss
        finally:
            with lock:
                running[0] -= 1

    result = study.optimize(objective, n_trials=12, n_workers=4, client_id='par', checkpoint_root=checkpoint_root,
                            callbacks=[lambda s, t: finished.append(t.number)])
    assert (result.finished, result.succeeded, result.failed) == (12, 12, 0)
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 12
    assert max_running[0] == 4
    assert sorted(finished) == sorted(seen)  # one callback per finished trial, not per report
    trials = study.trials
    assert {t.client_id for t in trials} == {'par-w0', 'par-w1', 'par-w2', 'par-w3'}
    assert all([m.step for m in t.measurements] == [1, 2, 3] for t in trials)
    assert result.best.value == min(t.value for t in trials) == study.best_value


def test_nan_unknown_metric_and_raising_fail_the_trial_not_the_loop(client, checkpoint_root):
    study = client.create_study('py-bad-values', quadratic_config())

    def objective(trial):
        if trial.id == 1:
            return float('nan')
        if trial.id == 2:
            trial.report(1, math.inf)
        if trial.id == 3:
            trial.report(1, {'accuracy': 0.5})
        if trial.id == 4:
            raise ZeroDivisionError('division by zero in the data loader')
        if trial.id == 5:
            raise hpo.TrialInfeasible('out of memory')
        return quadratic_loss(trial.params)

    result = study.optimize(objective, n_trials=7, client_id='nan', checkpoint_root=checkpoint_root)
    assert (result.finished, result.failed, result.infeasible, result.succeeded) == (7, 4, 1, 2)
    trials = study.trials
    assert [t.state for t in trials] == ['FAILED'] * 4 + ['INFEASIBLE', 'SUCCEEDED', 'SUCCEEDED']
    assert trials[0].status_reason == 'the objective returned an unusable result: metric "loss" is nan, not a finite number'
    assert trials[1].status_reason == 'report at step 1: metric "loss" is inf, not a finite number'
    assert trials[2].status_reason == 'report at step 1: unknown metric "accuracy" (the study has: loss)'
    assert trials[3].status_reason == 'ZeroDivisionError: division by zero in the data loader'
    assert trials[4].infeasible_reason == 'out of memory'
    assert all(t.measurements == [] for t in trials[:3])  # nothing bad was sent


def test_too_many_failures_in_a_row_end_the_loop(client, checkpoint_root):
    study = client.create_study('py-bug', quadratic_config())

    def objective(trial):
        raise TypeError("'NoneType' object is not callable")

    with pytest.raises(hpo.TooManyFailures, match="2 trials in a row failed; the last: TypeError: 'NoneType' object is not callable"):
        study.optimize(objective, n_trials=10, client_id='bug', checkpoint_root=checkpoint_root, max_consecutive_failures=2)
    assert [t.state for t in study.trials] == ['FAILED', 'FAILED']


def test_a_service_error_ends_the_loop(client, checkpoint_root):
    study = client.create_study('py-deleted', quadratic_config())

    def objective(trial):
        if trial.id == 2:
            client.delete_study(study.name)
        return quadratic_loss(trial.params)

    with pytest.raises(hpo.NotFoundError):
        study.optimize(objective, n_trials=5, client_id='gone', checkpoint_root=checkpoint_root)


def test_heartbeats_keep_a_short_lease(client, checkpoint_root):
    study = client.create_study('py-lease', quadratic_config(lease_seconds=1.0))

    def objective(trial):
        time.sleep(3)  # three leases without a report
        return quadratic_loss(trial.params)

    result = study.optimize(objective, n_trials=1, client_id='beat', checkpoint_root=checkpoint_root)
    assert result.succeeded == 1 and result.trials[0].state == 'SUCCEEDED'


def test_stop_trial_is_heard_by_heartbeat(client, checkpoint_root):
    study = client.create_study('py-stop', quadratic_config(lease_seconds=0.6))
    seen = []

    def objective(trial):
        for step in range(1, 200):
            if step == 3:
                client.stop_trial(trial.name)
            time.sleep(0.05)
            if trial.should_stop():
                seen.append(step)
                break
        return None if trial.last_reported_step >= 0 else 1.0

    result = study.optimize(objective, n_trials=1, client_id='stop', checkpoint_root=checkpoint_root)
    assert seen and 3 <= seen[0] < 30
    assert result.stopped == 1 and study.trials[0].state == 'SUCCEEDED'


def test_ask_and_tell(client):
    study = client.create_study('py-ask-tell', quadratic_config(max_trials=3))
    trial = study.ask(client_id='asker')
    assert study.ask(client_id='asker').name == trial.name  # its ACTIVE trial comes back
    assert trial.report(1, 0.7).decision == 'CONTINUE'
    done = study.tell(trial, 0.25)
    assert done.state == 'SUCCEEDED' and done.value == 0.25
    nan = study.ask(client_id='asker')
    assert study.tell(nan, float('nan')).state == 'FAILED'
    infeasible = study.ask(client_id='asker')
    assert study.tell(infeasible, state='INFEASIBLE', reason='oom').infeasible_reason == 'oom'
    assert study.best_params == trial.params


def test_trials_dataframe(client, checkpoint_root):
    pd = pytest.importorskip('pandas')
    study = client.create_study('py-frame', quadratic_config())
    study.optimize(lambda t: quadratic_loss(t.params), n_trials=3, client_id='frame', checkpoint_root=checkpoint_root)
    df = study.trials_dataframe()
    assert isinstance(df, pd.DataFrame) and len(df) == 3
    assert {'number', 'state', 'value', 'params_x', 'params_n', 'values_loss', 'duration'} <= set(df.columns)
    assert list(df['state']) == ['SUCCEEDED'] * 3


def test_progress_bar_when_tqdm_is_importable(client, checkpoint_root, capsys):
    pytest.importorskip('tqdm')
    study = client.create_study('py-bar', quadratic_config())
    study.optimize(lambda t: quadratic_loss(t.params), n_trials=3, client_id='bar', checkpoint_root=checkpoint_root,
                   show_progress_bar=True)
    assert '3/3' in capsys.readouterr().err
