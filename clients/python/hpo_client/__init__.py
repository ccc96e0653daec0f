"""hpo_client: the Python SDK of the HPO service (hpo.v1 over gRPC; runtime needs only grpcio and protobuf).

    import hpo_client as hpo

    client = hpo.Client('127.0.0.1:50051')                     # api_key defaults to $HPO_API_KEY
    study = client.create_study('my-model', hpo.StudyConfig(
        parameters=[hpo.Double('lr', 1e-4, 1e-1, log=True), hpo.Integer('units', 8, 128)],
        metrics=[hpo.Metric('accuracy', 'MAXIMIZE')]), if_exists='RETURN_EXISTING')
    study.optimize(objective, n_trials=20, n_workers=4)       # objective(trial) -> accuracy
    print(study.best_trial.params, study.best_value)
"""
from .checkpoint import Checkpoint, default_checkpoint_root, trial_checkpoint_dir
from .client import Client
from .errors import (ERRORS_BY_CODE, AbortedError, AlreadyExistsError, CancelledError, DataLossError,
                     DeadlineExceededError, FailedPreconditionError, HpoError, InternalError, InvalidArgumentError,
                     NotFoundError, OutOfRangeError, PermissionDeniedError, ResourceExhaustedError, TrialFailed,
                     TrialInfeasible, UnauthenticatedError, UnavailableError, UnimplementedError, UnknownError)
from .optimize import OptimizeResult, TooManyFailures
from .retry import RetryPolicy
from .study import Study
from .trial import TrialContext
from .types import (Categorical, Conditional, Decision, Discrete, Double, EarlyStopping, HeartbeatResult, Integer,
                    LlmConfig, Measurement, Metric, ParameterSpec, Prior, StudyConfig, StudyInfo, Trial, TrialCounts,
                    TrialInput)

__version__ = '0.1.0'
