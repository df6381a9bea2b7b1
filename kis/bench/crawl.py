"""Crawl benchmark: a synthetic site of N pages and M PDF reports crawled and indexed, a 5 %
re-crawl, a resume after a kill.

Everything runs against ``kis.bench.site`` on 127.0.0.1 with the rate limit off (delay 0), in a
temp data dir whose corpus manifest is empty, so only crawled documents are embedded:

1. crawl every page and report (documents/s) and index them with ``ingest()`` (time, passages/s,
   characters embedded/s); the embedder is wrapped to count what it embeds, and afterwards embeds
   a fixed random sample of the same passages directly, in the same batches: its own throughput,
   the floor the index step is compared with (the ratio: index step over floor, 1.0 at best);
2. change 5 % of the pages and of the reports (every section of each), re-crawl (conditional GET)
   and re-index: only the chunks of the changed documents may be embedded again; the re-crawl's
   share is (re-crawl + re-index) / (crawl + index);
3. crawl the site afresh in a child process, hold the server after half the documents, kill the
   child with SIGKILL once all its workers wait, then resume in this process: time, documents
   fetched, and refetches (documents the killed crawl had recorded that were requested again).

Where the time goes is measured from outside (``kis.bench.stopwatch``): the parse, chunk, embed and
store functions are wrapped while the benchmark runs. Peak RSS is this process's high-water mark
(embedder, crawler, index and the in-process server), also read after each phase.
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

import ingest.crawl.pages
import ingest.index.build
import ingest.pipeline
import kis.bench.site
from ingest.crawl.config import CrawlConfig
from ingest.crawl.crawler import STATE_NAME, CrawlSummary, crawl_sync, load_documents
from ingest.crawl.state import CrawlState
from kis import wiring
from kis.bench.embedding import CountingEmbedder, raw_chars_per_s
from kis.bench.reports import PAGE_RANGE, page_count, report_path
from kis.bench.site import SyntheticSite, page_path, serve_synthetic
from kis.bench.stopwatch import Stopwatch, Target
from kis.settings import Settings
from rag.embedders import Embedder
from rag.errors import StoreError
from rag.store.bm25 import BM25Index
from rag.store.embed_cache import EmbeddingCache
from rag.store.index import current_build, read_build_info
from rag.store.vectorstore import ChromaStore

RSS_TARGET_MB = 1536.0
EMBED_TARGET = 1.3  # the index step may take at most 1.3× the embedder's own time for its characters
RECRAWL_TARGET = 0.10  # a 5 %-changed re-crawl + re-index, as a share of the full run
FLOOR_SAMPLE = 512  # passages the floor is measured on
Note = Callable[[str], None]

CRAWL_STAGES: tuple[Target, ...] = (
    (kis.bench.site, "render_page", "synthetic site (same process)"),
    (kis.bench.site, "render_report", "synthetic site (same process)"),
    (ingest.crawl.pages, "extract_html", "parse HTML"),
    (ingest.crawl.pages, "extract_pdf", "parse PDF"),
    (ingest.crawl.pages, "document_to_json", "snapshots"),
    (ingest.crawl.pages, "_write", "snapshots"),
)
INDEX_STAGES: tuple[Target, ...] = (
    (ingest.pipeline, "load_documents", "load snapshots"),
    (ingest.pipeline, "newest_versions", "near duplicates"),
    (ingest.pipeline, "chunk_document", "chunk"),
    (ingest.index.build, "fingerprint", "fingerprint"),
    (EmbeddingCache, "embed", "embedding cache"),  # the embedder's own seconds are taken out
    (ChromaStore, "add", "store: Chroma"),
    (BM25Index, "build", "store: BM25"),
    (BM25Index, "save", "store: BM25"),
    (ingest.index.build, "write_checksums", "store: checksums"),
)


@dataclass(frozen=True)
class CrawlBench:
    embedder: str
    pages: int
    reports: int
    report_pages: int  # the reports' pages together
    concurrency: int
    crawl_s: float
    docs_per_s: float  # pages and reports fetched and parsed per second of the crawl
    ingest_s: float
    chunks: int
    passages_per_s: float  # passages indexed per second of the index step
    pages_per_s: float  # HTML and PDF pages per second of crawl + index
    embedded_texts: int
    embedded_chars: int
    embed_chars_per_s: float  # characters embedded per second of the index step
    floor_chars_per_s: float  # the embedder alone on a sample of the same passages
    floor_sample: int
    embed_ratio: float  # embed_chars_per_s / floor_chars_per_s
    crawl_stages: dict[str, float]
    index_stages: dict[str, float]
    changed_pages: int
    changed_reports: int
    recrawl_s: float
    recrawl_docs_per_s: float
    recrawl_changed: int  # documents the re-crawl found changed
    reingest_s: float
    reembedded_chunks: int
    changed_chunks: int  # chunks of the changed documents in the new index
    recrawl_share: float  # (recrawl_s + reingest_s) / (crawl_s + ingest_s)
    reindex_stages: dict[str, float]
    killed_after_documents: int  # documents the killed crawl had recorded
    resume_s: float
    resumed_documents: int  # documents the resumed crawl fetched
    refetches: int  # recorded documents requested again after the kill
    peak_rss_mb: float
    rss_by_phase: dict[str, float]  # the high-water mark after each phase
    targets: dict[str, bool | None]  # None: not judged (the ratio with a stand-in embedder)
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
    embedder: Embedder,
    *,
    pages: int = 5000,
    reports: int = 300,
    report_pages: tuple[int, int] = PAGE_RANGE,
    changed_fraction: float = 0.05,
    concurrency: int = 4,
    judge_ratio: bool = True,
    note: Note | None = None,
) -> tuple[CrawlBench, Path]:
    """Run the three measurements in a temp data dir; save the figures as JSON under ``out_dir``.

    ``judge_ratio`` False: the embedder is a stand-in (the hashing one), so the ratio is reported
    but the target is not judged on it."""
    say = note or (lambda _: None)
    if pages < 4 or reports > pages:
        raise StoreError("Crawl-benchmark: minstens 4 pagina's en niet meer rapporten dan pagina's.")
    counting = CountingEmbedder(embedder, FLOOR_SAMPLE)
    watch = Stopwatch()
    rss: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="kis-bench-crawl-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        (corpus / "manifest.json").write_text(json.dumps({"documents": []}), encoding="utf-8")
        run = settings.model_copy(update={"data_dir": root / "data", "corpus_dir": corpus})
        site = SyntheticSite(pages, reports, report_pages)
        with serve_synthetic(site), watch.watching(CRAWL_STAGES + INDEX_STAGES):
            config = bench_config(site.base, concurrency)
            state, snaps = run.crawl_dir / STATE_NAME, run.crawl_dir

            say(f"Crawlen van {pages} pagina's en {reports} rapporten …")
            first = crawl_sync(config, state, snaps)
            _expect(
                first.changed == site.documents, f"eerste crawl vond {first.changed} van {site.documents}"
            )
            crawl_stages = _rest(watch.take(), first.seconds, "fetch and crawl state")
            rss["crawl"] = _peak_rss_mb()
            say(f"Crawl klaar in {first.seconds:.1f} s; indexeren …")
            started = time.perf_counter()
            built = wiring.ingest(run, counting)
            ingest_s = time.perf_counter() - started
            tally = counting.take()
            index_stages = _index_stages(watch.take(), tally.seconds, ingest_s)
            rss["index"] = _peak_rss_mb()
            say(f"Index klaar in {ingest_s:.1f} s; de embedder alleen ({len(tally.sample)} passages) …")
            floor = raw_chars_per_s(embedder, tally.sample, run.embed_batch_size)
            rss["floor"] = _peak_rss_mb()

            changed = _pick(pages, changed_fraction, seed=0)
            changed_reports = _pick(reports, changed_fraction, seed=1)
            site.change(changed, changed_reports)
            say(f"{len(changed)} pagina's en {len(changed_reports)} rapporten gewijzigd; opnieuw …")
            second = crawl_sync(config, state, snaps)
            watch.take()
            started = time.perf_counter()
            rebuilt = wiring.ingest(run, counting)
            reingest_s = time.perf_counter() - started
            reindex_stages = _index_stages(watch.take(), counting.take().seconds, reingest_s)
            changed_urls = {site.url(page_path(n)) for n in changed}
            changed_chunks = _chunks_of(
                run, changed_urls | {site.url(report_path(k)) for k in changed_reports}
            )
            rss["re-crawl + re-index"] = _peak_rss_mb()

            say("Crawl afbreken (SIGKILL) en hervatten …")
            killed, resumed, resumed_documents, refetches = _kill_and_resume(site, config, root / "resume")
            rss["resume"] = _peak_rss_mb()
        full_s = first.seconds + ingest_s
        pdf_pages = sum(page_count(k, report_pages) for k in range(reports))
        embed_rate = tally.chars / ingest_s if ingest_s > 0 else 0.0
        ratio = round(embed_rate / floor, 3) if floor > 0 else 0.0
        share = round((second.seconds + reingest_s) / full_s, 3)
        peak = max(rss.values())
        result = CrawlBench(
            embedder=embedder.name,
            pages=pages,
            reports=reports,
            report_pages=pdf_pages,
            concurrency=concurrency,
            crawl_s=first.seconds,
            docs_per_s=_rate(first.fetched, first.seconds),
            ingest_s=round(ingest_s, 2),
            chunks=built.chunks,
            passages_per_s=_rate(built.chunks, ingest_s),
            pages_per_s=_rate(pages + pdf_pages, full_s),
            embedded_texts=tally.texts,
            embedded_chars=tally.chars,
            embed_chars_per_s=round(embed_rate),
            floor_chars_per_s=round(floor),
            floor_sample=len(tally.sample),
            embed_ratio=ratio,
            crawl_stages=crawl_stages,
            index_stages=index_stages,
            changed_pages=len(changed),
            changed_reports=len(changed_reports),
            recrawl_s=second.seconds,
            recrawl_docs_per_s=_rate(second.fetched, second.seconds),
            recrawl_changed=second.changed,
            reingest_s=round(reingest_s, 2),
            reembedded_chunks=rebuilt.embedded,
            changed_chunks=changed_chunks,
            recrawl_share=share,
            reindex_stages=reindex_stages,
            killed_after_documents=killed,
            resume_s=resumed.seconds,
            resumed_documents=resumed_documents,
            refetches=refetches,
            peak_rss_mb=peak,
            rss_by_phase=rss,
            targets={
                "embed_ratio": ratio * EMBED_TARGET >= 1.0 if judge_ratio else None,
                "peak_rss": peak <= RSS_TARGET_MB,
                "recrawl_share": share <= RECRAWL_TARGET,
            },
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"crawl-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    return result, path


def summary(result: CrawlBench) -> list[str]:
    """The figures in a few lines, each target with held / not held."""
    r = result

    def held(key: str) -> str:
        return {True: "gehaald", False: "NIET gehaald", None: "niet beoordeeld (vervangende embedder)"}[
            r.targets[key]
        ]

    def stages(seconds: dict[str, float]) -> str:
        return ", ".join(f"{stage} {s:.1f}" for stage, s in sorted(seconds.items(), key=lambda kv: -kv[1]))

    return [
        f"{r.pages} pagina's + {r.reports} pdf-rapporten ({r.report_pages} pdf-pagina's); "
        f"embedder {r.embedder}",
        f"crawl {r.crawl_s:.1f} s ({r.docs_per_s} documenten/s); index {r.ingest_s:.1f} s "
        f"({r.chunks} passages, {r.passages_per_s} passages/s); {r.pages_per_s} pagina's/s over beide",
        f"embedden: {r.embedded_chars:,} tekens, {r.embed_chars_per_s:,} tekens/s in de index-stap; de "
        f"embedder alleen {r.floor_chars_per_s:,} tekens/s ({r.floor_sample} passages) → verhouding "
        f"{r.embed_ratio} (doel ≥ {1 / EMBED_TARGET:.2f}): {held('embed_ratio')}",
        f"her-crawl ({r.changed_pages} pagina's, {r.changed_reports} rapporten gewijzigd): crawl "
        f"{r.recrawl_s:.1f} s + index {r.reingest_s:.1f} s ({r.reembedded_chunks} passages opnieuw "
        f"ge-embed) = {r.recrawl_share:.1%} van de volledige run (doel ≤ {RECRAWL_TARGET:.0%}): "
        f"{held('recrawl_share')}",
        f"piek-RSS {r.peak_rss_mb:.0f} MB (doel ≤ {r.rss_target_mb:.0f}): {held('peak_rss')}; per fase "
        + ", ".join(f"{phase} {mb:.0f}" for phase, mb in r.rss_by_phase.items()),
        f"hervat na SIGKILL: {r.killed_after_documents} documenten vastgelegd, {r.resumed_documents} "
        f"opgehaald in {r.resume_s:.1f} s, {r.refetches} opnieuw gevraagd",
        f"crawl (s): {stages(r.crawl_stages)}",
        f"index (s): {stages(r.index_stages)}",
        f"her-index (s): {stages(r.reindex_stages)}",
    ]


def _rest(stages: dict[str, float], total: float, label: str) -> dict[str, float]:
    """The stages plus what the total spent outside them, to the millisecond."""
    rest = max(total - sum(stages.values()), 0.0)
    return {stage: round(seconds, 3) for stage, seconds in {**stages, label: rest}.items()}


def _index_stages(stages: dict[str, float], embed_s: float, total: float) -> dict[str, float]:
    """The index step's stages, the embedder's own seconds taken out of the cache's."""
    cache = stages.pop("embedding cache", 0.0)
    return _rest({**stages, "embed": embed_s, "embedding cache": cache - embed_s}, total, "other")


def _pick(count: int, fraction: float, seed: int) -> list[int]:
    """A fixed ``fraction`` of ``range(count)`` (at least one when there is any)."""
    return sorted(random.Random(seed).sample(range(count), max(1, round(count * fraction)) if count else 0))


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise StoreError(f"Crawl-benchmark mislukt: {what}.")


def _chunks_of(settings: Settings, urls: set[str]) -> int:
    """Chunks of the documents at ``urls`` in the current build, from its build.json (opening the
    index would load it whole and count against the peak RSS)."""
    paths = current_build(settings.index_dir)
    if paths is None:
        raise StoreError("Crawl-benchmark mislukt: geen index na het indexeren.")
    return sum(int(doc["chunks"]) for doc in read_build_info(paths).documents if doc["origin"] in urls)


def _kill_and_resume(
    site: SyntheticSite, config: CrawlConfig, where: Path
) -> tuple[int, CrawlSummary, int, int]:
    """Crawl afresh in a child, SIGKILL it half-way, resume here: (documents recorded before the
    kill, the resumed run, documents it fetched, recorded documents it fetched again)."""
    where.mkdir(parents=True)
    state = where / STATE_NAME
    site.hold_after, site.served, site.held = site.documents // 2, 0, 0
    site.release.clear()
    args = json.dumps({"base": site.base, "concurrency": config.concurrency, "dir": str(where)})
    child = subprocess.Popen(
        [sys.executable, "-c", "from kis.bench.crawl import child_main; child_main()", args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60 + site.documents / 5  # a slow machine crawls ≥ 10 pages/s
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
    before = site.document_hits()
    resumed = crawl_sync(config, state, where)
    after = site.document_hits()
    _expect(resumed.resumed, "de crawl na de kill werd niet hervat")
    documents = len(load_documents(state, where))
    _expect(documents == site.documents, f"na hervatten {documents} van {site.documents} documenten")
    paths = {url.removeprefix(site.base) for url in recorded}
    refetched = sum(after[p] > before[p] for p in paths)
    fetched = sum(after[p] - before[p] for p in after)
    return sum(site.is_document(p) for p in paths), resumed, fetched, refetched


def child_main() -> None:
    """The crawl the benchmark kills: ``python -c '…child_main()' '{"base":…,"dir":…}'``."""
    args = json.loads(sys.argv[1])
    where = Path(args["dir"])
    crawl_sync(bench_config(args["base"], int(args["concurrency"])), where / STATE_NAME, where)
