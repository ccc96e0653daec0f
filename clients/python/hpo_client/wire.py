"""Between the typed views (types.py) and the generated protobuf messages."""
import math

from ._proto.hpo.v1 import study_pb2 as pb
from .types import (Conditional, EarlyStopping, LlmConfig, Measurement, Metric, ParameterSpec, Prior, StudyConfig,
                    StudyInfo, Trial, TrialCounts)


def _enum(enum_type, name, field):
    try:
        return enum_type.Value(name)
    except ValueError:
        names = [n for n in enum_type.keys() if not n.endswith('UNSPECIFIED')]
        raise ValueError(f'{field} must be one of {", ".join(names)} (got {name!r})') from None


def parameter_to_wire(spec, field='parameters'):
    if not isinstance(spec, ParameterSpec):
        raise TypeError(f'{field} must be a ParameterSpec (Double, Integer, Discrete, Categorical), got {type(spec).__name__}')
    w = pb.ParameterSpec(name=spec.name, type=_enum(pb.ParameterSpec.Type, spec.type, f'{field}.type'))
    if spec.type in ('DOUBLE', 'INTEGER'):
        if spec.min is None or spec.max is None:
            raise ValueError(f'{field}: {spec.type} parameter {spec.name!r} needs min and max')
        w.min_value, w.max_value = float(spec.min), float(spec.max)
    w.discrete_values.extend(float(v) for v in spec.values)
    w.categories.extend(spec.categories)
    w.scale = _enum(pb.ParameterSpec.Scale, spec.scale or 'LINEAR', f'{field}.scale')
    if spec.prior is not None:
        w.prior.center = float(spec.prior.center)
        w.prior.width = float(spec.prior.width or 0.0)
    for i, child in enumerate(spec.children):
        w.children.add(parent_categories=list(child.parent_categories), parent_values=[float(v) for v in child.parent_values],
                       parameter=parameter_to_wire(child.parameter, f'{field}.children[{i}]'))
    return w


def parameter_from_wire(w):
    kind = pb.ParameterSpec.Type.Name(w.type)
    bounded = kind in ('DOUBLE', 'INTEGER')
    return ParameterSpec(
        name=w.name, type=kind,
        min=(int(w.min_value) if kind == 'INTEGER' else w.min_value) if bounded else None,
        max=(int(w.max_value) if kind == 'INTEGER' else w.max_value) if bounded else None,
        values=tuple(w.discrete_values), categories=tuple(w.categories), scale=pb.ParameterSpec.Scale.Name(w.scale),
        children=tuple(Conditional(parameter_from_wire(c.parameter), tuple(c.parent_categories), tuple(c.parent_values))
                       for c in w.children),
        prior=Prior(w.prior.center, w.prior.width or None) if w.HasField('prior') else None)


def config_to_wire(config):
    w = pb.StudyConfig(
        algorithm=_enum(pb.Algorithm, config.algorithm, 'algorithm'),
        acquisition=_enum(pb.Acquisition, config.acquisition, 'acquisition'),
        problem_description=config.problem_description, max_trials=config.max_trials, max_parallel=config.max_parallel,
        seed=config.seed, lease_seconds=config.lease_seconds, grid_resolution=config.grid_resolution)
    for i, p in enumerate(config.parameters):
        w.parameters.append(parameter_to_wire(p, f'parameters[{i}]'))
    for i, m in enumerate(config.metrics):
        metric = w.metrics.add(name=m.name, goal=_enum(pb.MetricSpec.Goal, m.goal, f'metrics[{i}].goal'),
                               role=_enum(pb.MetricSpec.Role, m.role, f'metrics[{i}].role'))
        if m.threshold is not None:
            metric.threshold.value = m.threshold
        if m.reference_point is not None:
            metric.reference_point.value = m.reference_point
    if config.early_stopping:
        es = config.early_stopping
        w.early_stopping.CopyFrom(pb.EarlyStoppingConfig(mode=_enum(pb.EarlyStoppingConfig.Mode, es.mode, 'early_stopping.mode'),
                                                         max_step=es.max_step, min_steps=es.min_steps, min_trials=es.min_trials,
                                                         max_steps_total=es.max_steps_total))
    if config.llm:
        llm = config.llm
        w.llm.CopyFrom(pb.LlmConfig(enabled=llm.enabled, provider=_enum(pb.LlmConfig.Provider, llm.provider, 'llm.provider'),
                                    model=llm.model, base_url=llm.base_url, warm_start=llm.warm_start,
                                    candidate_sampling=llm.candidate_sampling, surrogate=llm.surrogate,
                                    max_tokens_total=llm.max_tokens_total, timeout_seconds=llm.timeout_seconds,
                                    warm_start_trials=llm.warm_start_trials))
    return w


def metric_from_wire(m):
    role = 'OBJECTIVE' if m.role == pb.MetricSpec.ROLE_UNSPECIFIED else pb.MetricSpec.Role.Name(m.role)
    return Metric(m.name, pb.MetricSpec.Goal.Name(m.goal), role,
                  m.threshold.value if m.HasField('threshold') else None,
                  m.reference_point.value if m.HasField('reference_point') else None)


def config_from_wire(w):
    es = w.early_stopping
    llm = w.llm if w.HasField('llm') else None
    return StudyConfig(
        parameters=[parameter_from_wire(p) for p in w.parameters],
        metrics=[metric_from_wire(m) for m in w.metrics],
        algorithm=pb.Algorithm.Name(w.algorithm), acquisition=pb.Acquisition.Name(w.acquisition),
        early_stopping=EarlyStopping(pb.EarlyStoppingConfig.Mode.Name(es.mode), es.max_step, es.min_steps, es.min_trials,
                                     es.max_steps_total),
        llm=LlmConfig(llm.enabled, pb.LlmConfig.Provider.Name(llm.provider), llm.model, llm.base_url, llm.warm_start,
                      llm.candidate_sampling, llm.surrogate, llm.max_tokens_total, llm.timeout_seconds,
                      llm.warm_start_trials) if llm else None,
        problem_description=w.problem_description, max_trials=w.max_trials, max_parallel=w.max_parallel, seed=w.seed,
        lease_seconds=w.lease_seconds, grid_resolution=w.grid_resolution)


def study_from_wire(w):
    c = w.trial_counts
    return StudyInfo(name=w.name, display_name=w.display_name, config=config_from_wire(w.config),
                     state=pb.Study.State.Name(w.state), create_time=w.create_time,
                     trial_counts=TrialCounts(c.requested, c.active, c.paused, c.stopping, c.succeeded, c.infeasible, c.failed,
                                              c.early_stopped),
                     llm_tokens_used=w.llm_tokens_used)


def measurement_to_wire(step, metrics, elapsed_seconds=0.0):
    m = pb.Measurement(step=int(step), elapsed_seconds=float(elapsed_seconds))
    for name, value in metrics.items():
        m.metrics.add(name=name, value=float(value))
    return m


def measurement_from_wire(w):
    return Measurement(step=w.step, metrics={m.name: m.value for m in w.metrics}, elapsed_seconds=w.elapsed_seconds)


def value_from_wire(p):
    kind = p.WhichOneof('value')
    return getattr(p, kind) if kind else None


def trial_from_wire(w, objective=''):
    return Trial(
        name=w.name, id=w.id, state=pb.Trial.State.Name(w.state),
        params={p.name: value_from_wire(p) for p in w.parameters},
        final_measurement=measurement_from_wire(w.final_measurement) if w.HasField('final_measurement') else None,
        measurements=[measurement_from_wire(m) for m in w.measurements], client_id=w.client_id,
        resume_from_step=w.resume_from_step, infeasible_reason=w.infeasible_reason, status_reason=w.status_reason,
        create_time=w.create_time, start_time=w.start_time, complete_time=w.complete_time, note=w.note,
        origin=pb.Trial.Origin.Name(w.origin), objective=objective)


def param_to_wire(name, value, spec=None):
    """int_value for INTEGER parameters, string_value for strings, double_value otherwise."""
    if isinstance(value, str):
        return pb.ParameterValue(name=name, string_value=value)
    if spec is not None and spec.type == 'INTEGER':
        return pb.ParameterValue(name=name, int_value=int(value))
    return pb.ParameterValue(name=name, double_value=float(value))


def specs_by_name(parameters):
    out = {}
    for p in parameters:
        out[p.name] = p
        for c in p.children:
            out.update(specs_by_name([c.parameter]))
    return out


def measurement_problem(metrics, known, final):
    """Why `metrics` cannot be sent (NaN, infinity, unknown metric, a missing one in a final
    measurement), or None. The server applies the same rules; checking first fails one trial instead
    of the whole loop."""
    if not isinstance(metrics, dict):
        return f'the metrics must be a dict of numbers (got {metrics!r})'
    for name, value in metrics.items():
        if name not in known:
            return f'unknown metric "{name}" (the study has: {", ".join(known)})'
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, '__float__'):
            return f'metric "{name}" is {value!r}, not a number'
        if not math.isfinite(float(value)):
            return f'metric "{name}" is {float(value)!r}, not a finite number'
    if final:
        missing = [n for n in known if n not in metrics]
        if missing:
            return f'the final measurement lacks metric(s) {", ".join(missing)}'
    return None
