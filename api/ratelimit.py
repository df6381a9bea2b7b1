"""Per-client rate limiting with an in-process token bucket.

Each client (by address; behind a proxy, ``KIS_FORWARDED_ALLOW_IPS`` makes that the real client,
and without it X-Forwarded-For is ignored) may send ``per_minute`` requests in a burst, refilled
evenly over the minute. Every worker
keeps its own buckets: with N workers a client may get up to N times the limit, which is fine for
protecting the service against a runaway client, not for billing.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response

EXEMPT = frozenset({"/healthz", "/readyz", "/metrics"})
MAX_CLIENTS = 10_000  # beyond this, clients whose bucket has refilled are forgotten


@dataclass
class Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        moment = time.monotonic()
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._forget_idle(moment)
                bucket = self._buckets[client] = Bucket(self.capacity, moment)
            bucket.tokens = min(self.capacity, bucket.tokens + (moment - bucket.stamp) * self.rate)
            bucket.stamp = moment
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def _forget_idle(self, moment: float) -> None:
        full = [
            c for c, b in self._buckets.items() if b.tokens + (moment - b.stamp) * self.rate >= self.capacity
        ]
        for client in full:
            del self._buckets[client]


class RateLimitMiddleware:
    """429 with ``Retry-After`` (whole seconds, rounded up) when a client's bucket is empty."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "onbekend")
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            response = error_response(
                429,
                "rate_limited",
                f"Te veel verzoeken. Probeer het over {seconds} seconden opnieuw.",
                {"Retry-After": str(seconds)},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
