"""Optuna as a bench peer over stdin/stdout (ask-and-tell), so the problems are defined once, in
bench/src. Run with Debian's python3-optuna under /usr/bin/python3.

First line in: {"sampler": "NSGAII"|"TPE"|"QMC"|"RANDOM", "seed": int, "d": int,
                "directions": ["minimize", ...], "budget": int, "constrained": bool}
Then, per trial: out a JSON list of d numbers in [0, 1]; in {"values": [...], "constraints": [...]}
(constraints: Optuna's convention, feasible when every value <= 0).
"""
import json
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def constraints_func(trial):
    return trial.user_attrs["constraints"]


def make_sampler(name, seed, constrained):
    extra = {"constraints_func": constraints_func} if constrained else {}
    if name == "NSGAII":
        # Population 20 (Optuna's default is 50): at a 100-evaluation budget 50 leaves two generations.
        return optuna.samplers.NSGAIISampler(seed=seed, population_size=20, **extra)
    if name == "TPE":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, **extra)
    if name == "QMC":
        return optuna.samplers.QMCSampler(seed=seed, scramble=True)
    if name == "RANDOM":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {name}")


def main():
    spec = json.loads(sys.stdin.readline())
    study = optuna.create_study(
        directions=spec["directions"], sampler=make_sampler(spec["sampler"], spec["seed"], spec.get("constrained", False))
    )
    dists = {f"x{i}": optuna.distributions.FloatDistribution(0.0, 1.0) for i in range(spec["d"])}
    for _ in range(spec["budget"]):
        trial = study.ask(dists)
        print(json.dumps([trial.params[f"x{i}"] for i in range(spec["d"])]), flush=True)
        answer = json.loads(sys.stdin.readline())
        if spec.get("constrained", False):
            trial.set_user_attr("constraints", answer["constraints"])
        values = answer["values"]
        study.tell(trial, values if len(values) > 1 else values[0])


if __name__ == "__main__":
    main()
