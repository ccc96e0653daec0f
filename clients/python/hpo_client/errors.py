"""Typed errors: one class per gRPC status code, each an HpoError with the code, the server's details,
the method and the number of attempts. Catch HpoError for any failed call, or a subclass for one code."""
import grpc


class HpoError(Exception):
    """A failed RPC. `code` is the status name ('INVALID_ARGUMENT'), `details` the server's message."""

    code = 'UNKNOWN'

    def __init__(self, details, method='', attempts=1, trailing_metadata=()):
        super().__init__(f'{method}: {self.code}: {details}' if method else f'{self.code}: {details}')
        self.details = details
        self.method = method
        self.attempts = attempts
        self.trailing_metadata = tuple(trailing_metadata or ())

    @property
    def status_code(self):
        return getattr(grpc.StatusCode, self.code)

    @property
    def retry_after_ms(self):
        """The server's `retry-after-ms` hint (RESOURCE_EXHAUSTED: rate limit, quota, full queue)."""
        for key, value in self.trailing_metadata:
            if key == 'retry-after-ms':
                try:
                    ms = float(value)
                except (TypeError, ValueError):
                    return None
                return ms if ms >= 0 else None
        return None


def _error(name, doc):
    return type(''.join(part.capitalize() for part in name.split('_')) + 'Error', (HpoError,), {'code': name, '__doc__': doc})


CancelledError = _error('CANCELLED', 'The call was cancelled.')
UnknownError = _error('UNKNOWN', 'An error the server did not classify.')
InvalidArgumentError = _error('INVALID_ARGUMENT', 'A bad request: the details name the field and the rule.')
DeadlineExceededError = _error('DEADLINE_EXCEEDED', 'The call did not finish within its deadline.')
NotFoundError = _error('NOT_FOUND', 'No such study or trial (for this tenant).')
AlreadyExistsError = _error('ALREADY_EXISTS', 'A study of that display name exists.')
PermissionDeniedError = _error('PERMISSION_DENIED', 'The key may not do this.')
ResourceExhaustedError = _error('RESOURCE_EXHAUSTED', 'A quota or rate limit; retry_after_ms holds the hint.')
FailedPreconditionError = _error('FAILED_PRECONDITION', 'The trial or study is in a state that refuses the call.')
AbortedError = _error('ABORTED', 'The call was aborted.')
OutOfRangeError = _error('OUT_OF_RANGE', 'A value out of range.')
UnimplementedError = _error('UNIMPLEMENTED', 'The server does not have this RPC.')
InternalError = _error('INTERNAL', 'A server bug.')
UnavailableError = _error('UNAVAILABLE', 'The server could not be reached (retried with backoff first).')
DataLossError = _error('DATA_LOSS', 'Data loss.')
UnauthenticatedError = _error('UNAUTHENTICATED', 'A missing, wrong or revoked API key.')

ERRORS_BY_CODE = {cls.code: cls for cls in (
    CancelledError, UnknownError, InvalidArgumentError, DeadlineExceededError, NotFoundError, AlreadyExistsError,
    PermissionDeniedError, ResourceExhaustedError, FailedPreconditionError, AbortedError, OutOfRangeError,
    UnimplementedError, InternalError, UnavailableError, DataLossError, UnauthenticatedError)}


def from_rpc_error(err, method, attempts):
    """The typed error for a grpc.RpcError."""
    code = err.code() if hasattr(err, 'code') else None
    name = code.name if isinstance(code, grpc.StatusCode) else 'UNKNOWN'
    details = err.details() if hasattr(err, 'details') else str(err)
    trailing = err.trailing_metadata() if hasattr(err, 'trailing_metadata') else ()
    return ERRORS_BY_CODE.get(name, UnknownError)(details or '', method, attempts, trailing or ())


class TrialFailed(Exception):
    """The trial's outcome is unusable (NaN, infinity, a metric the study lacks): Study.optimize fails the
    trial (FAILED with this reason) and goes on. report() raises it before sending such a value; an
    objective may raise it too. Any other exception from an objective fails the trial the same way."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class TrialInfeasible(Exception):
    """Raise it from an objective when the configuration itself cannot work (out of memory): the trial
    is completed INFEASIBLE, which the algorithm learns from."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason
