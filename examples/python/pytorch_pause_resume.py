#!/usr/bin/python3
"""PyTorch training loop tuned by the HPO service, with freeze-thaw pause/resume from real checkpoints.

A one-hidden-layer network on the UCI handwritten digits vendored in examples/data/digits.csv (64 pixel
features, 10 classes). Each epoch reports the validation accuracy; when the server answers PAUSE the
model's and optimizer's state_dicts are saved into the trial's checkpoint folder, and when the trial is
handed back they are loaded and training continues at resume_from_step. Debian: python3-torch.

    /usr/bin/python3 examples/python/pytorch_pause_resume.py --address 127.0.0.1:50051 [--trials 8] [--workers 2]

Prints one JSON line: the study, how many trials were paused and resumed, and the best trial.
"""
import argparse
import csv
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'clients', 'python'))
import hpo_client as hpo  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'digits.csv')


def load_digits():
    with open(DATA) as f:
        rows = [[float(v) for v in row] for row in csv.reader(f)]
    data = torch.tensor(rows)
    x, y = data[:, :64] / 16.0, data[:, 64].long()
    g = torch.Generator().manual_seed(0)
    order = torch.randperm(len(y), generator=g)
    cut = int(0.8 * len(y))
    return (x[order[:cut]], y[order[:cut]]), (x[order[cut:]], y[order[cut:]])


def make_objective(train, valid, max_epochs, resumed):
    (xt, yt), (xv, yv) = train, valid

    def objective(trial):
        p = trial.params
        torch.manual_seed(trial.id)
        model = nn.Sequential(nn.Linear(64, p['hidden_units']), nn.ReLU(), nn.Linear(p['hidden_units'], 10))
        if p['optimizer'] == 'sgd':
            opt = torch.optim.SGD(model.parameters(), lr=p['learning_rate'], momentum=p.get('momentum', 0.0))
        else:
            opt = torch.optim.Adam(model.parameters(), lr=p['learning_rate'])
        weights = os.path.join(trial.checkpoint_dir, 'model.pt')
        checkpoint = trial.load_checkpoint()  # set when a paused (or crashed) trial comes back
        if checkpoint:
            state = torch.load(weights)
            model.load_state_dict(state['model'])
            opt.load_state_dict(state['optimizer'])
            resumed.append({'trial': trial.id, 'resume_from_step': trial.resume_from_step, 'checkpoint_epoch': checkpoint.step})
        accuracy = 0.0
        for epoch in range((checkpoint.step if checkpoint else 0) + 1, max_epochs + 1):
            model.train()
            for batch in torch.split(torch.randperm(len(yt)), int(p['batch_size'])):  # DISCRETE values are floats
                opt.zero_grad()
                nn.functional.cross_entropy(model(xt[batch]), yt[batch]).backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                accuracy = (model(xv).argmax(1) == yv).float().mean().item()
            decision = trial.report(epoch, accuracy)
            if decision.should_pause:  # save and return: the trial may be thawed later
                os.makedirs(trial.checkpoint_dir, exist_ok=True)
                torch.save({'model': model.state_dict(), 'optimizer': opt.state_dict()}, weights)
                trial.save_checkpoint({'epoch': epoch}, epoch)  # the manifest, written last
                return None
            if decision.should_stop:
                break
        return accuracy

    return objective


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--address', default=os.environ.get('HPO_ADDRESS', '127.0.0.1:50051'))
    parser.add_argument('--study', default='digits-torch')
    parser.add_argument('--trials', type=int, default=8)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--epochs', type=int, default=8)
    parser.add_argument('--checkpoint-root', default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)

    config = hpo.StudyConfig(
        parameters=[
            hpo.Double('learning_rate', 1e-3, 0.3, log=True),
            hpo.Integer('hidden_units', 8, 64),
            hpo.Categorical('optimizer', ['adam', 'sgd'],
                            children=[hpo.Conditional(hpo.Double('momentum', 0.0, 0.95), parent_categories=['sgd'])]),
            hpo.Discrete('batch_size', [32, 64, 128]),
        ],
        metrics=[hpo.Metric('val_accuracy', 'MAXIMIZE')],
        early_stopping=hpo.EarlyStopping('FREEZE_THAW', max_step=args.epochs, min_steps=2, min_trials=2),
        max_trials=args.trials, seed=1)
    with hpo.Client(args.address) as client:
        study = client.create_study(args.study, config, if_exists='RETURN_EXISTING')
        train, valid = load_digits()
        resumed = []
        result = study.optimize(make_objective(train, valid, args.epochs, resumed), n_trials=args.trials, n_workers=args.workers, checkpoint_root=args.checkpoint_root,
                                idle_timeout=5, show_progress_bar=sys.stderr.isatty())
        best = study.best_trial
        print(json.dumps({'study': study.name, 'finished': result.finished, 'paused': result.paused,
                          'resumed': resumed, 'best': {'trial': best.id, 'val_accuracy': best.value, 'params': best.params}}))


if __name__ == '__main__':
    main()
