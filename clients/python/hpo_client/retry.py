"""Retries with exponential backoff and jitter on UNAVAILABLE (the call never reached a server able to
answer), and on RESOURCE_EXHAUSTED only after the wait the server hints in `retry-after-ms`."""
import random
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    """max_attempts counts the first attempt; delays in seconds; jitter is the random fraction of each delay."""
    max_attempts: int = 6
    initial_delay: float = 0.1
    max_delay: float = 5.0
    multiplier: float = 2.0
    jitter: float = 0.2
    retryable_codes: frozenset = field(default_factory=lambda: frozenset({'UNAVAILABLE'}))
    # A hinted RESOURCE_EXHAUSTED is retried when the hint is at most this long (seconds); 0 turns it off.
    max_retry_after: float = 10.0

    def backoff(self, retry, rng=random.random):
        """The delay before retry number `retry` (0-based), jittered downwards by up to `jitter` of itself."""
        delay = min(self.max_delay, self.initial_delay * self.multiplier ** retry)
        return delay * (1 - self.jitter * rng())

    def delay_for(self, error, retry):
        """Seconds to wait before retrying `error`, or None when it is an answer."""
        if error.code in self.retryable_codes:
            return self.backoff(retry)
        if error.code == 'RESOURCE_EXHAUSTED' and self.max_retry_after > 0:
            hint = error.retry_after_ms
            if hint is not None and hint / 1000 <= self.max_retry_after:
                return hint / 1000
        return None


NO_RETRY = RetryPolicy(max_attempts=1)


def call_with_retries(once, policy, sleep=time.sleep):
    """Runs once(attempt) until it succeeds, or raises the last HpoError when it is not worth retrying."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return once(attempt)
        except Exception as error:  # HpoError only; anything else propagates below
            from .errors import HpoError
            if not isinstance(error, HpoError) or attempt >= policy.max_attempts:
                raise
            delay = policy.delay_for(error, attempt - 1)
            if delay is None:
                raise
            sleep(delay)
