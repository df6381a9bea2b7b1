"""Crawl benchmark: a synthetic site of N pages crawled and indexed, a 5 % re-crawl, a resume after a kill.

Everything runs against ``kis.bench.site`` on 127.0.0.1 with the rate limit off (delay 0), in a
temp data dir whose corpus manifest is empty, so only crawled pages are embedded:

1. crawl all N pages (pages/s) and index them with ``ingest()`` (time, chunks, chunks/s);
2. change 5 % of the pages (every section of each), re-crawl (conditional GET; pages/s, changed
   pages found) and re-index: only the chunks of the changed pages may be embedded again;
3. crawl the site afresh in a child process, hold the server after half the pages, kill the child
   with SIGKILL once all its workers wait, then resume in this process: time, pages fetched, and
   refetches (pages the killed crawl had recorded that were requested again; should be none).

Peak RSS is this process's high-water mark (embedder, crawler, index and the in-process server).
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingest.crawl.config import CrawlConfig
from ingest.crawl.crawler import STATE_NAME, CrawlSummary, crawl_sync, load_documents
from ingest.crawl.state import CrawlState
from kis import wiring
from kis.bench.site import SyntheticSite, page_path, serve_synthetic
from kis.settings import Settings
from rag.embedders import Embedder
from rag.errors import StoreError

RSS_TARGET_MB = 1536.0
Note = Callable[[str], None]


@dataclass(frozen=True)
class CrawlBench:
    pages: int
    concurrency: int
    crawl_s: float
    pages_per_s: float
    ingest_s: float
    chunks: int
    chunks_per_s: float
    changed_pages: int
    recrawl_s: float
    recrawl_pages_per_s: float
    recrawl_changed: int  # pages the re-crawl found changed
    reingest_s: float
    reembedded_chunks: int
    changed_page_chunks: int  # chunks of the changed pages in the new index
    killed_after_pages: int  # pages the killed crawl had recorded
    resume_s: float
    resumed_pages: int  # pages the resumed crawl fetched
    refetches: int  # recorded pages requested again after the kill
    peak_rss_mb: float
    rss_target_mb: float = RSS_TARGET_MB


def bench_config(base: str, concurrency: int) -> CrawlConfig:
    """The synthetic site's crawl: its sitemap, both sections, no delay, short time-outs."""
    return CrawlConfig(
        sitemaps=(f"{base}/sitemap.xml",),
        path_prefixes=("/kennisgidsen", "/dossiers"),
        user_agent="KIS-Kennisassistent-bench/1.0 (+https://www.kis.nl)",
        delay=0.0,
        concurrency=concurrency,
        timeout=30.0,
        retries=1,
        backoff=0.05,
    )


def bench_crawl(
    settings: Settings,
    out_dir: Path,
    *,
    pages: int = 5000,
    changed_fraction: float = 0.05,
    concurrency: int = 4,
    embedder: Embedder | None = None,
    note: Note | None = None,
) -> tuple[CrawlBench, Path]:
    """Run the three measurements in a temp data dir; save the figures as JSON under ``out_dir``."""
    say = note or (lambda _: None)
    if pages < 4:
        raise StoreError("Crawl-benchmark: minstens 4 pagina's.")
    with tempfile.TemporaryDirectory(prefix="kis-bench-crawl-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        (corpus / "manifest.json").write_text(json.dumps({"documents": []}), encoding="utf-8")
        run = settings.model_copy(update={"data_dir": root / "data", "corpus_dir": corpus})
        embedder = embedder or wiring.build_embedder(run)
        site = SyntheticSite(pages)
        with serve_synthetic(site):
            config = bench_config(site.base, concurrency)
            state, snaps = run.crawl_dir / STATE_NAME, run.crawl_dir

            say(f"Crawlen van {pages} pagina's …")
            first = crawl_sync(config, state, snaps)
            _expect(first.changed == pages, f"eerste crawl vond {first.changed} van {pages} pagina's")
            say(f"Crawl klaar in {first.seconds:.1f} s; indexeren …")
            started = time.perf_counter()
            built = wiring.ingest(run, embedder)
            ingest_s = time.perf_counter() - started

            changed = sorted(random.Random(0).sample(range(pages), max(1, round(pages * changed_fraction))))
            site.change(changed)
            say(f"{len(changed)} pagina's gewijzigd; opnieuw crawlen en indexeren …")
            second = crawl_sync(config, state, snaps)
            started = time.perf_counter()
            rebuilt = wiring.ingest(run, embedder)
            reingest_s = time.perf_counter() - started
            changed_chunks = _chunks_of(run, {site.url(page_path(n)) for n in changed})

            say("Crawl afbreken (SIGKILL) en hervatten …")
            killed, resumed, resumed_pages, refetches = _kill_and_resume(site, config, root / "resume")
        result = CrawlBench(
            pages=pages,
            concurrency=concurrency,
            crawl_s=first.seconds,
            pages_per_s=_rate(first.fetched, first.seconds),
            ingest_s=round(ingest_s, 2),
            chunks=built.chunks,
            chunks_per_s=_rate(built.embedded, ingest_s),
            changed_pages=len(changed),
            recrawl_s=second.seconds,
            recrawl_pages_per_s=_rate(second.fetched, second.seconds),
            recrawl_changed=second.changed,
            reingest_s=round(reingest_s, 2),
            reembedded_chunks=rebuilt.embedded,
            changed_page_chunks=changed_chunks,
            killed_after_pages=killed,
            resume_s=resumed.seconds,
            resumed_pages=resumed_pages,
            refetches=refetches,
            peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"crawl-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    return result, path


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise StoreError(f"Crawl-benchmark mislukt: {what}.")


def _chunks_of(settings: Settings, urls: set[str]) -> int:
    index = wiring.open_index(settings)
    return sum(int(doc["chunks"]) for doc in index.info.documents if doc["origin"] in urls)


def _kill_and_resume(
    site: SyntheticSite, config: CrawlConfig, where: Path
) -> tuple[int, CrawlSummary, int, int]:
    """Crawl afresh in a child, SIGKILL it half-way, resume here: (pages recorded before the kill,
    the resumed run, pages it fetched, recorded pages it fetched again)."""
    where.mkdir(parents=True)
    state = where / STATE_NAME
    site.hold_after, site.served, site.held = site.pages // 2, 0, 0
    site.release.clear()
    args = json.dumps({"base": site.base, "concurrency": config.concurrency, "dir": str(where)})
    child = subprocess.Popen(
        [sys.executable, "-c", "from kis.bench.crawl import child_main; child_main()", args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60 + site.pages / 5  # a slow machine crawls ≥ 10 pages/s
        while site.held < config.concurrency and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # let the child's workers settle on the held requests
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        site.hold_after = None
        site.release.set()
    recorded_state = CrawlState(state)
    try:
        recorded = {url for url in recorded_state.visited_urls(1) if url.startswith(site.base)}
    finally:
        recorded_state.close()
    before = site.page_hits()
    resumed = crawl_sync(config, state, where)
    after = site.page_hits()
    _expect(resumed.resumed, "de crawl na de kill werd niet hervat")
    documents = len(load_documents(state, where))
    _expect(documents == site.pages, f"na hervatten {documents} van {site.pages} documenten")
    paths = {url.removeprefix(site.base) for url in recorded}
    refetched = sum(after[p] > before[p] for p in paths)
    fetched = sum(after[p] - before[p] for p in after)
    pages_recorded = len(paths & set(site.by_path))
    return pages_recorded, resumed, fetched, refetched


def child_main() -> None:
    """The crawl the benchmark kills: ``python -c '…child_main()' '{"base":…,"dir":…}'``."""
    args = json.loads(sys.argv[1])
    where = Path(args["dir"])
    crawl_sync(bench_config(args["base"], int(args["concurrency"])), where / STATE_NAME, where)
