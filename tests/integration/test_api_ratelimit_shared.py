"""The rate limit shared through Redis by every worker (``KIS_REDIS_URL``), against real uvicorn
processes. The shared tier needs a Redis (``KIS_TEST_REDIS_URL``, as CI sets it) and is skipped
without one; a Redis that cannot be reached needs none."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from kis.settings import Settings
from tests.api_server import ApiServer, api_settings

REDIS = os.environ.get("KIS_TEST_REDIS_URL")
PER_MINUTE = 10


def allowed(server: ApiServer, requests: int) -> int:
    """Requests of one client that got through, each on a new connection so that the kernel spreads
    them over the workers."""
    statuses = []
    for _ in range(requests):
        with httpx.Client(base_url=server.url, timeout=30) as client:
            statuses.append(client.get("/v1/documents").status_code)
    assert set(statuses) <= {200, 429}, statuses
    return statuses.count(200)


@pytest.mark.skipif(not REDIS, reason="KIS_TEST_REDIS_URL is niet gezet")
def test_two_workers_sharing_redis_limit_one_client_to_the_rate_in_total(
    corpus_index: Settings, tmp_path: Path
) -> None:
    import redis

    assert REDIS is not None
    redis.Redis.from_url(REDIS).flushdb()  # a window of an earlier run must not count
    settings = api_settings(
        corpus_index, tmp_path, rate_limit_per_minute=PER_MINUTE, redis_url=REDIS, api_workers=2
    )
    server = ApiServer(settings, tmp_path).start()
    try:
        assert allowed(server, 3 * PER_MINUTE) == PER_MINUTE
    finally:
        server.stop()


def test_a_redis_that_cannot_be_reached_leaves_each_worker_its_own_limit(
    corpus_index: Settings, tmp_path: Path
) -> None:
    nowhere = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    settings = api_settings(corpus_index, tmp_path, rate_limit_per_minute=PER_MINUTE, redis_url=nowhere)
    server = ApiServer(settings, tmp_path).start()
    try:
        assert allowed(server, 2 * PER_MINUTE) == PER_MINUTE
    finally:
        server.stop()
    log = server.log_path.read_text(encoding="utf-8")
    assert log.count("Redis voor de rate limit onbereikbaar") == 1 and "Traceback" not in log
