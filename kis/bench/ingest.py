"""Ingest benchmark: from scratch (empty embedding cache), unchanged re-ingest, throughput, peak RSS."""

from __future__ import annotations

import json
import resource
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from kis import wiring
from kis.settings import Settings
from rag.errors import StoreError


@dataclass(frozen=True)
class IngestBench:
    embedder_load_s: float
    scratch_s: float
    unchanged_s: float
    chunks: int
    chunks_per_s: float
    peak_rss_mb: float


def bench_ingest(settings: Settings, out_dir: Path) -> tuple[IngestBench, Path]:
    """Ingest ``settings.corpus_dir`` twice into a fresh temp data dir; save the figures as JSON."""
    with tempfile.TemporaryDirectory(prefix="kis-bench-") as tmp:
        run = settings.model_copy(update={"data_dir": Path(tmp)})
        started = time.perf_counter()
        embedder = wiring.build_embedder(run)
        loaded = time.perf_counter() - started
        begun = time.perf_counter()
        scratch = wiring.ingest(run, embedder)
        scratch_s = time.perf_counter() - begun
        again = time.perf_counter()
        unchanged = wiring.ingest(run, embedder)
        unchanged_s = time.perf_counter() - again
    if not unchanged.up_to_date:
        raise StoreError("Benchmark: een ongewijzigd corpus gaf toch een nieuwe build.")
    result = IngestBench(
        embedder_load_s=round(loaded, 3),
        scratch_s=round(scratch_s, 2),
        unchanged_s=round(unchanged_s, 3),
        chunks=scratch.chunks,
        chunks_per_s=round(scratch.embedded / scratch_s, 1),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"ingest-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    return result, path
