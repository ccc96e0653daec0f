"""A worker process for test_restart: optimizes one trial with `client_id`, saving a checkpoint at every
step; with --announce it prints 'saved STEP' after each save and sleeps, to be killed mid-training."""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import hpo_client as hpo  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('address')
parser.add_argument('study')
parser.add_argument('client_id')
parser.add_argument('checkpoint_root')
parser.add_argument('--announce', action='store_true')
args = parser.parse_args()

runs = []


def objective(trial):
    ckpt = trial.load_checkpoint()
    weights = ckpt.state['weights'] if ckpt else 0
    run = {'trial': trial.id, 'resume_from_step': trial.resume_from_step, 'restored': ckpt.state if ckpt else None, 'steps': []}
    runs.append(run)
    for step in range((ckpt.step if ckpt else 0) + 1, 6):
        weights += step
        run['steps'].append(step)
        trial.report(step, 1.0 / weights)
        trial.save_checkpoint({'weights': weights}, step)
        if args.announce:
            print(f'saved {step}', flush=True)
            time.sleep(0.3)
    return 1.0 / weights


with hpo.Client(args.address) as client:
    study = client.get_study(args.study)
    result = study.optimize(objective, n_trials=1, client_id=args.client_id, checkpoint_root=args.checkpoint_root)
    print(json.dumps({'runs': runs, 'trial': result.trials[0].id, 'value': result.trials[0].value}), flush=True)
