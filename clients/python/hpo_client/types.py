"""Typed views of the hpo.v1 messages: plain dataclasses (snake_case, enums as their names,
measurements as name -> value dicts). wire.py maps them to and from the generated protobuf classes."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Union

ParamValue = Union[float, int, str]


@dataclass
class Conditional:
    """A child parameter that exists only when its parent takes one of these values."""
    parameter: 'ParameterSpec'
    parent_categories: Sequence[str] = ()
    parent_values: Sequence[float] = ()


@dataclass
class Prior:
    """Where you believe the best value lies (piBO): center within the bounds, width the standard deviation
    as a fraction of the range on the parameter's scale (None: the server's 0.15)."""
    center: float
    width: Optional[float] = None


@dataclass
class ParameterSpec:
    name: str
    type: str  # DOUBLE, INTEGER, DISCRETE, CATEGORICAL
    min: Optional[float] = None
    max: Optional[float] = None
    values: Sequence[float] = ()
    categories: Sequence[str] = ()
    scale: str = 'LINEAR'  # or LOG
    children: Sequence[Conditional] = ()
    prior: Optional[Prior] = None  # DOUBLE, INTEGER, DISCRETE


def Double(name, min, max, log=False, children=(), prior=None):
    return ParameterSpec(name, 'DOUBLE', min=min, max=max, scale='LOG' if log else 'LINEAR', children=children, prior=prior)


def Integer(name, min, max, log=False, children=(), prior=None):
    return ParameterSpec(name, 'INTEGER', min=min, max=max, scale='LOG' if log else 'LINEAR', children=children, prior=prior)


def Discrete(name, values, children=(), prior=None):
    return ParameterSpec(name, 'DISCRETE', values=tuple(values), children=children, prior=prior)


def Categorical(name, categories, children=()):
    return ParameterSpec(name, 'CATEGORICAL', categories=tuple(categories), children=children)


@dataclass
class Metric:
    name: str
    goal: str = 'MAXIMIZE'  # or MINIMIZE
    # OBJECTIVE (several make the study multi-objective), TRACKED (recorded only) or CONSTRAINT (needs
    # threshold: feasible when value >= threshold for MAXIMIZE, <= for MINIMIZE). The first must be OBJECTIVE.
    role: str = 'OBJECTIVE'
    threshold: Optional[float] = None
    # OBJECTIVE with several objectives: the hypervolume reference point; inferred when None.
    reference_point: Optional[float] = None


@dataclass
class EarlyStopping:
    mode: str = 'NONE'  # NONE, MEDIAN, FREEZE_THAW, ASHA, HYPERBAND
    max_step: int = 0
    min_steps: int = 0
    min_trials: int = 0
    # A training budget in steps over the whole study (the sum of every trial's last step): once spent,
    # no new trial starts and the study completes when nothing is running. 0: no step budget.
    max_steps_total: int = 0


@dataclass
class LlmConfig:
    enabled: bool = False
    provider: str = 'PROVIDER_UNSPECIFIED'
    model: str = ''
    base_url: str = ''
    warm_start: bool = False
    candidate_sampling: bool = False
    surrogate: bool = False
    max_tokens_total: int = 0
    timeout_seconds: float = 0.0
    warm_start_trials: int = 0


@dataclass
class StudyConfig:
    """What CreateStudy takes; unset fields take the server's defaults (GP_BANDIT, LOG_EI, no early
    stopping, unlimited trials, 300 s leases). The first metric is the objective."""
    parameters: List[ParameterSpec]
    metrics: List[Metric]
    algorithm: str = 'ALGORITHM_UNSPECIFIED'
    acquisition: str = 'ACQUISITION_UNSPECIFIED'
    early_stopping: Optional[EarlyStopping] = None
    llm: Optional[LlmConfig] = None
    problem_description: str = ''
    max_trials: int = 0
    max_parallel: int = 0
    seed: int = 0
    lease_seconds: float = 0.0
    grid_resolution: int = 0


@dataclass
class TrialCounts:
    requested: int = 0
    active: int = 0
    paused: int = 0
    stopping: int = 0
    succeeded: int = 0
    infeasible: int = 0
    failed: int = 0
    early_stopped: int = 0


@dataclass
class StudyInfo:
    """A study as the server returns it (its config with every default filled in)."""
    name: str
    display_name: str
    config: StudyConfig
    state: str
    create_time: float
    trial_counts: TrialCounts
    llm_tokens_used: int = 0

    @property
    def id(self):
        return self.name[len('studies/'):]


@dataclass
class Measurement:
    step: int
    metrics: Dict[str, float]
    elapsed_seconds: float = 0.0


@dataclass
class Trial:
    """A trial as the server returns it. `params` holds only the parameters active under their parents."""
    name: str
    id: int
    # REQUESTED, ACTIVE, PAUSED, STOPPING, SUCCEEDED, INFEASIBLE, FAILED, EARLY_STOPPED (ended by the
    # study's early-stopping rule: final_measurement is its last report, a partial curve)
    state: str
    params: Dict[str, ParamValue]
    final_measurement: Optional[Measurement] = None
    measurements: List[Measurement] = field(default_factory=list)
    client_id: str = ''
    resume_from_step: int = 0
    infeasible_reason: str = ''
    status_reason: str = ''
    create_time: float = 0.0
    start_time: float = 0.0
    complete_time: float = 0.0
    note: str = ''
    # Where the trial came from (hpo.v1.Trial.Origin): DESIGN, GP, LLM_WARM_START, LLM_CANDIDATE, THAW,
    # RANDOM, QUASI_RANDOM, GRID, FALLBACK, ADDED; ORIGIN_UNSPECIFIED for trials stored before origins were.
    origin: str = 'ORIGIN_UNSPECIFIED'
    # The study's objective metric, when known (trials read through a Study): what `value` returns.
    objective: str = field(default='', repr=False, compare=False)

    @property
    def number(self):
        """Optuna's name for the trial's number within its study (ids are 1, 2, 3 ...)."""
        return self.id

    @property
    def stopped_early(self):
        """Ended by the early-stopping rule (EARLY_STOPPED, Optuna's PRUNED): its value is a partial curve's."""
        return self.state == 'EARLY_STOPPED'

    @property
    def values(self):
        """The final metrics (SUCCEEDED trials; an EARLY_STOPPED trial's last report), else None."""
        return dict(self.final_measurement.metrics) if self.final_measurement else None

    @property
    def value(self):
        """The objective's final value (SUCCEEDED trials), else None."""
        if not self.final_measurement:
            return None
        if self.objective:
            return self.final_measurement.metrics.get(self.objective)
        return next(iter(self.final_measurement.metrics.values()), None)

    @property
    def intermediate_values(self):
        """step -> objective value of the learning curve (Optuna's name)."""
        key = self.objective
        return {m.step: (m.metrics.get(key) if key else next(iter(m.metrics.values()), None)) for m in self.measurements}


@dataclass
class TrialInput:
    """A trial evaluated elsewhere, for AddTrials."""
    params: Dict[str, ParamValue]
    final_metrics: Optional[Dict[str, float]] = None
    infeasible_reason: str = ''


@dataclass(frozen=True)
class Decision:
    decision: str  # CONTINUE, STOP, PAUSE
    reason: str = ''

    @property
    def should_stop(self):
        return self.decision == 'STOP'

    @property
    def should_pause(self):
        return self.decision == 'PAUSE'


@dataclass
class ReportResult:
    decision: Decision
    trial: Trial


@dataclass
class SuggestResult:
    trials: List[Trial]
    study_done: bool


@dataclass
class HeartbeatResult:
    trial_names: List[str]
    stopping_trial_names: List[str]
    lease_expires_at: float
