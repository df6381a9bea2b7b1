"""Answer benchmark (``kis bench answer``): warm latency of ``answer()`` over the gold questions.

Each question is asked once to warm caches and models, then timed over several rounds in a fresh
conversation; the figures are medians and percentiles, never a single run, because the machines
are shared and noisy. The result is saved as JSON so commits can be compared.
"""

from __future__ import annotations

import json
import math
import resource
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from evals.runner import AnswerFn


@dataclass(frozen=True)
class AnswerBench:
    questions: int
    rounds: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    peak_rss_mb: float


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: an observed value, so p99 of a few hundred calls is a real call."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def bench_answer(answer: AnswerFn, questions: Sequence[str], rounds: int = 3) -> AnswerBench:
    """Warm up on every question once, then time ``rounds`` passes over them."""
    for question in questions:
        answer(question, None)
    timings: list[float] = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            answer(question, None)
            timings.append((time.perf_counter() - started) * 1000)
    return AnswerBench(
        questions=len(questions),
        rounds=rounds,
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(percentile(timings, 95), 1),
        p99_ms=round(percentile(timings, 99), 1),
        max_ms=round(max(timings), 1),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def save_bench(result: AnswerBench, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"answer-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    return path
