/** Typed domain errors (Vizier's custom_errors, nice-grpc's ServerError). The libs and the server's
 *  services throw these; the server maps them to gRPC status codes in one place. Messages are for
 *  people: they name the field and the rule. */

export abstract class HpoError extends Error {
  abstract readonly code:
    | 'INVALID_ARGUMENT'
    | 'NOT_FOUND'
    | 'ALREADY_EXISTS'
    | 'FAILED_PRECONDITION'
    | 'UNAUTHENTICATED'
    | 'PERMISSION_DENIED'
    | 'RESOURCE_EXHAUSTED'
    | 'UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends HpoError {
  readonly code = 'INVALID_ARGUMENT' as const;
  /** `field` is a path such as "config.parameters[2].min_value"; `rule` what it must satisfy. */
  constructor(readonly field: string, readonly rule: string) {
    super(`${field}: ${rule}`);
  }
}

export class NotFoundError extends HpoError {
  readonly code = 'NOT_FOUND' as const;
}

export class AlreadyExistsError extends HpoError {
  readonly code = 'ALREADY_EXISTS' as const;
}

export class FailedPreconditionError extends HpoError {
  readonly code = 'FAILED_PRECONDITION' as const;
}

export class UnauthenticatedError extends HpoError {
  readonly code = 'UNAUTHENTICATED' as const;
}

export class PermissionDeniedError extends HpoError {
  readonly code = 'PERMISSION_DENIED' as const;
}

export class ResourceExhaustedError extends HpoError {
  readonly code = 'RESOURCE_EXHAUSTED' as const;
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

export class UnavailableError extends HpoError {
  readonly code = 'UNAVAILABLE' as const;
}
