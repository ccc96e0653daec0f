"""PAUSE -> thaw -> resume from a real checkpoint, with the server's FREEZE_THAW policy. The space is a
five-point grid: once each point is tried the policy has nothing new to offer and thaws a paused trial,
which comes back with resume_from_step and the checkpoint saved at the pause."""
import math

import hpo_client as hpo

MAX_STEP = 8
ASYMPTOTE = {'a': 0.95, 'b': 0.9, 'c': 0.88, 'd': 0.86, 'e': 0.84}


def accuracy_at(recipe, step):
    return ASYMPTOTE[recipe] - (ASYMPTOTE[recipe] - 0.1) * math.exp(-step / 2)


def test_pause_then_resume_from_checkpoint(client, checkpoint_root):
    study = client.create_study('py-freeze-thaw', hpo.StudyConfig(
        parameters=[hpo.Categorical('recipe', list(ASYMPTOTE))], metrics=[hpo.Metric('acc', 'MAXIMIZE')],
        algorithm='GRID_SEARCH', early_stopping=hpo.EarlyStopping('FREEZE_THAW', max_step=MAX_STEP, min_steps=2, min_trials=1),
        seed=7))
    runs = []

    def objective(trial):
        recipe = trial.params['recipe']
        run = {'trial': trial.id, 'resume_from_step': trial.resume_from_step, 'steps': [], 'ended': 'finished'}
        runs.append(run)
        ckpt = trial.load_checkpoint()
        run['restored_step'] = ckpt.step if ckpt else None
        run['restored_sum'] = ckpt.state['sum'] if ckpt else None
        total = ckpt.state['sum'] if ckpt else 0.0
        for step in range((ckpt.step if ckpt else 0) + 1, MAX_STEP + 1):
            total += accuracy_at(recipe, step)
            run['steps'].append(step)
            d = trial.report(step, accuracy_at(recipe, step))
            if d.should_pause:
                trial.save_checkpoint({'sum': total})
                run['ended'] = 'paused'
                return None
            if d.should_stop:
                run['ended'] = 'stopped'
                break
        return {'acc': accuracy_at(recipe, run['steps'][-1]) + 1e-12 * total}

    result = study.optimize(objective, n_trials=5, n_workers=1, client_id='ft', checkpoint_root=checkpoint_root,
                            idle_timeout=3, poll_interval=0.2)
    assert result.paused > 0
    resumed = [r for r in runs if r['resume_from_step'] > 0]
    assert resumed
    for r in resumed:
        before = [p for p in runs[:runs.index(r)] if p['trial'] == r['trial']]
        previous = before[-1]
        assert previous['ended'] == 'paused'
        last = previous['steps'][-1]
        assert r['resume_from_step'] == last + 1 and r['restored_step'] == last and r['steps'][0] == last + 1
        recipe = client.get_trial(f"{study.name}/trials/{r['trial']}").params['recipe']
        expected = sum(accuracy_at(recipe, s) for p in before for s in p['steps'])
        assert abs(r['restored_sum'] - expected) < 1e-12
    for t in study.trials:
        steps = [m.step for m in t.measurements]
        assert steps == list(range(1, len(steps) + 1))
