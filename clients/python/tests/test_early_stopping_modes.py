"""Early stopping through the Python SDK against a real server: the ASHA and HYPERBAND modes and
early_stopping.max_steps_total round-trip; a trial the study's rule stops ends EARLY_STOPPED (counted,
listed by state, `stopped_early`); a study whose only budget is max_steps_total completes."""
import pytest

import hpo_client as hpo


def curve_config(mode, **early):
    return hpo.StudyConfig(parameters=[hpo.Double('x', 0.0, 1.0)], metrics=[hpo.Metric('acc', 'MAXIMIZE')],
                           algorithm='QUASI_RANDOM_SEARCH', early_stopping=hpo.EarlyStopping(mode, **early), seed=3)


@pytest.mark.parametrize('mode', ['ASHA', 'HYPERBAND'])
def test_rung_modes_and_step_budget_round_trip(client, mode):
    study = client.create_study(f'py-{mode.lower()}', curve_config(mode, max_step=27, max_steps_total=500))
    es = client.get_study(study.name).config.early_stopping
    assert (es.mode, es.max_step, es.max_steps_total) == (mode, 27, 500)


def test_a_trial_stopped_by_the_rule_is_early_stopped(client):
    study = client.create_study('py-early-stopped', curve_config('MEDIAN', max_step=6, min_steps=1, min_trials=3))
    for _ in range(3):
        t = client.suggest_trials(study, 'w').trials[0]
        for step in range(1, 7):
            client.report_intermediate(t, step, {'acc': 0.9}, client_id='w')
        client.complete_trial(t, {'acc': 0.9}, step=6, client_id='w')
    t = client.suggest_trials(study, 'w').trials[0]
    r = client.report_intermediate(t, 1, {'acc': 0.1}, client_id='w')
    if r.decision.decision == 'CONTINUE':
        r = client.report_intermediate(t, 2, {'acc': 0.1}, client_id='w')
    assert r.decision.should_stop and r.decision.reason
    assert r.trial.state == 'EARLY_STOPPED' and r.trial.stopped_early
    # The worker's completion after a STOP is acknowledged and changes nothing.
    done = client.complete_trial(t, {'acc': 0.95}, step=6, client_id='w')
    assert done.state == 'EARLY_STOPPED' and done.final_measurement.metrics['acc'] == pytest.approx(0.1)
    assert study.refresh().trial_counts.early_stopped == 1
    assert [x.name for x in study.get_trials(states=['EARLY_STOPPED'])] == [t.name]
    assert study.best_trial.name != t.name


def test_a_study_with_only_a_step_budget_completes(client):
    study = client.create_study('py-step-budget', curve_config('NONE', max_step=4, max_steps_total=8))
    ran = 0
    while True:
        reply = client.suggest_trials(study, 'w')
        if reply.study_done or not reply.trials:
            break
        t = reply.trials[0]
        for step in range(1, 5):
            client.report_intermediate(t, step, {'acc': 0.5 + step / 10}, client_id='w')
        client.complete_trial(t, {'acc': 0.9}, step=4, client_id='w')
        ran += 1
        assert ran <= 3
    assert ran == 2
    info = study.refresh()
    assert info.state == 'COMPLETED' and info.trial_counts.succeeded == 2
