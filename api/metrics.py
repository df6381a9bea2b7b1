"""Prometheus metrics: requests and latency per route, answers per status, retrieval latency.

With several uvicorn workers each process counts for itself; ``serve`` then points
prometheus-client's own ``PROMETHEUS_MULTIPROC_DIR`` at a shared directory and ``/metrics`` adds
the workers up, whichever worker answers the scrape.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "kis_http_requests_total", "HTTP requests by route and status.", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "kis_http_request_duration_seconds",
    "HTTP request latency by route (streams: until the last event).",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
ANSWERS = Counter("kis_answers_total", "Answers by reply status.", ["status"])
RETRIEVAL_SECONDS = Histogram(
    "kis_retrieval_duration_seconds",
    "Hybrid retrieval latency (chat and search).",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


def render() -> tuple[bytes, str]:
    """The exposition text and its content type; summed over workers in multi-process mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
