"""Per-client rate limiting: in-process token buckets, or one moving window in Redis.

Each client (by address; behind a proxy, ``KIS_FORWARDED_ALLOW_IPS`` makes that the real client,
and without it X-Forwarded-For is ignored) may send ``per_minute`` requests a minute. By default
every worker keeps its own buckets (a burst of ``per_minute``, refilled evenly), so N workers give
a client up to N times the limit. With ``KIS_REDIS_URL`` the count is kept in Redis by the
``limits`` library and shared by every worker and replica; while Redis cannot be reached, the
worker's own buckets stand in (said once in the log), so an outage of Redis is no outage of the
service.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItemPerMinute
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response

EXEMPT = frozenset({"/healthz", "/readyz", "/metrics"})
MAX_CLIENTS = 10_000  # beyond this, clients whose bucket has refilled are forgotten
REDIS_TIMEOUT = 0.5  # seconds; a Redis that hangs must not hang the requests it counts

log = logging.getLogger(__name__)


class Limiter(Protocol):
    async def wait(self, client: str) -> float:
        """0 when the client's request may go ahead, else the seconds until it may."""
        ...


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

    async def wait(self, client: str) -> float:
        return self.take(client)

    def _forget_idle(self, moment: float) -> None:
        full = [
            c for c, b in self._buckets.items() if b.tokens + (moment - b.stamp) * self.rate >= self.capacity
        ]
        for client in full:
            del self._buckets[client]


class SharedWindow:
    """A moving window per client in Redis, shared by every worker and replica."""

    def __init__(self, url: str, per_minute: int) -> None:
        address = url.replace("redis://", "async+redis://", 1) if url.startswith("redis://") else url
        storage = storage_from_string(
            address,
            implementation="redispy",
            key_prefix="kis-ratelimit",
            wrap_exceptions=True,
            socket_timeout=REDIS_TIMEOUT,
            socket_connect_timeout=REDIS_TIMEOUT,
        )
        self._window = MovingWindowRateLimiter(storage)
        self._item = RateLimitItemPerMinute(per_minute)
        self._local = TokenBuckets(per_minute)
        self._down = False

    async def wait(self, client: str) -> float:
        try:
            if await self._window.hit(self._item, client):
                waited = 0.0
            else:
                stats = await self._window.get_window_stats(self._item, client)
                waited = max(stats.reset_time - time.time(), 1.0)
        except StorageError as exc:
            if not self._down:
                log.warning("Redis voor de rate limit onbereikbaar, eigen tellers gebruikt: %s", exc)
            self._down = True
            return self._local.take(client)
        if self._down:
            log.info("Redis voor de rate limit weer bereikbaar")
        self._down = False
        return waited


class RateLimitMiddleware:
    """429 with ``Retry-After`` (whole seconds, rounded up) when a client has sent its share."""

    def __init__(self, app: ASGIApp, per_minute: int, redis_url: str | None = None) -> None:
        self.app = app
        self.buckets: Limiter | None = None
        if per_minute > 0:
            self.buckets = SharedWindow(redis_url, per_minute) if redis_url else TokenBuckets(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = await self.buckets.wait(client[0] if client else "onbekend")
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
