#!/usr/bin/python3
"""scikit-learn tuned by the HPO service: an SVC on scikit-learn's bundled digits, 3-fold cross-validated
accuracy as the objective, 4 workers. Debian: python3-sklearn.

    /usr/bin/python3 examples/python/sklearn_digits.py --address 127.0.0.1:50051 [--trials 12] [--workers 4]

Prints one JSON line with the best trial; with pandas installed, the trials table goes to stderr.
"""
import argparse
import json
import os
import sys

from sklearn.datasets import load_digits
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'clients', 'python'))
import hpo_client as hpo  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--address', default=os.environ.get('HPO_ADDRESS', '127.0.0.1:50051'))
    parser.add_argument('--study', default='digits-svc')
    parser.add_argument('--trials', type=int, default=12)
    parser.add_argument('--workers', type=int, default=4)
    args = parser.parse_args()
    x, y = load_digits(return_X_y=True)

    def objective(trial):
        p = trial.params
        model = SVC(C=p['C'], gamma=p['gamma'], kernel=p['kernel'])
        return float(cross_val_score(model, x, y, cv=3).mean())

    config = hpo.StudyConfig(
        parameters=[hpo.Double('C', 1e-2, 1e3, log=True), hpo.Double('gamma', 1e-5, 1e-1, log=True),
                    hpo.Categorical('kernel', ['rbf', 'sigmoid'])],
        metrics=[hpo.Metric('accuracy', 'MAXIMIZE')], max_trials=args.trials, seed=3)
    with hpo.Client(args.address) as client:
        study = client.create_study(args.study, config, if_exists='RETURN_EXISTING')
        study.optimize(objective, n_trials=args.trials, n_workers=args.workers, show_progress_bar=sys.stderr.isatty())
        try:
            print(study.trials_dataframe()[['number', 'state', 'value', 'params_C', 'params_gamma', 'params_kernel']]
                  .to_string(index=False), file=sys.stderr)
        except ImportError:
            pass
        best = study.best_trial
        print(json.dumps({'study': study.name, 'best': {'trial': best.id, 'accuracy': best.value, 'params': best.params}}))


if __name__ == '__main__':
    main()
