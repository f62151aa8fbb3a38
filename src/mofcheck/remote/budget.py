"""One run's limits, shared by every request of that run (thread-safe).

The clock starts when the Budget is made. Every request asks `timeout()` first: the per-request timeout,
cut to what is left of the total; once the total is spent it raises BudgetSpent, and the sources not yet
read come back with error_kind "budget".
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from .safety import RemoteFault

MIN_REQUEST_SECONDS = 0.05  # less than this left of the total: the budget is spent


class BudgetSpent(RemoteFault):
    kind = "budget"


@dataclass
class Budget:
    total_seconds: float = 60.0
    request_timeout: float = 10.0  # connect / read / write, and the wall clock of one response body
    max_text_bytes: int = 256 * 1024  # bytes read of one text (README, LICENSE, card); the rest is cut
    max_files: int = 10_000  # files listed per source
    max_texts: int = 12  # texts read per source
    max_response_bytes: int = 16 * 1024 * 1024  # any API response body (after decompression)
    retries: int = 2  # extra tries on 5xx, 429 and connection errors (never on timeouts)
    max_retry_wait: float = 5.0  # longest single wait before a retry (Retry-After is capped to this)
    max_refs: int = 200  # branches + tags listed per source
    clock: object = field(default=time.monotonic, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._start = self.clock()  # type: ignore[operator]
        self._lock = threading.Lock()
        self.requests = 0  # requests started under this budget (for tests and benchmarks)

    @property
    def elapsed(self) -> float:
        return self.clock() - self._start  # type: ignore[operator]

    @property
    def remaining(self) -> float:
        return self.total_seconds - self.elapsed

    @property
    def spent(self) -> bool:
        return self.remaining < MIN_REQUEST_SECONDS

    def check(self) -> None:
        if self.spent:
            raise BudgetSpent(f"the run's time budget of {self.total_seconds:g}s is spent")

    def timeout(self) -> float:
        """Seconds one request may take now; counts the request. Raises BudgetSpent when none are left."""
        self.check()
        with self._lock:
            self.requests += 1
        return max(MIN_REQUEST_SECONDS, min(self.request_timeout, self.remaining))

    def wait(self, seconds: float, sleep: object = time.sleep) -> bool:
        """Sleep before a retry, if the wait fits the limits; False (and no sleep) when it does not."""
        seconds = max(0.0, seconds)
        if seconds > self.max_retry_wait or seconds + MIN_REQUEST_SECONDS >= self.remaining:
            return False
        sleep(seconds)  # type: ignore[operator]
        return True
