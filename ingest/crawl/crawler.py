"""Crawl the KIS knowledge guides and dossiers into parsed documents, politely and incrementally.

A run reads robots.txt, the sitemaps and the seed pages, then follows links within the allowed hosts
and paths with a few workers (``ingest.crawl.run``). Everything it learns goes to the crawl state at
once, so a killed crawl resumes where it stopped, and a later crawl refetches with conditional GET
and tells changed from unchanged pages by the hash of their extracted content. ``load_documents``
gives the indexer the current documents, each content once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from ingest.crawl.config import CrawlConfig
from ingest.crawl.fetch import Fetcher, HostGate
from ingest.crawl.pages import doc_path
from ingest.crawl.run import CrawlRun, Progress
from ingest.crawl.state import CrawlState, RunRecord
from ingest.parse.blocks import document_from_json
from rag.schema import ParsedDocument

__all__ = [
    "CrawlConfig",
    "CrawlSummary",
    "Progress",
    "crawl",
    "crawl_sync",
    "finished_runs",
    "load_documents",
    "related_links",
]

logger = logging.getLogger(__name__)
STATE_NAME = "state.sqlite"  # the crawl state inside the crawl dir

_ACCEPT = "text/html, application/xhtml+xml, application/pdf;q=0.9, */*;q=0.1"


@dataclass(frozen=True)
class CrawlSummary:
    """What one run did; a resumed run reports the whole run, not only the part after resuming.
    ``fetched`` = ``changed`` + ``unchanged`` + ``duplicates``; ``new`` is the part of ``changed``
    that was not kept before."""

    fetched: int
    skipped: int
    failed: int
    new: int
    changed: int
    unchanged: int
    removed: int
    duplicates: int
    run: int
    resumed: bool
    seconds: float


async def crawl(
    config: CrawlConfig, state_path: Path, snapshot_dir: Path, *, progress: Progress | None = None
) -> CrawlSummary:
    """Run (or resume) one crawl; raw snapshots and parsed documents go under ``snapshot_dir``."""
    started = time.monotonic()
    state = CrawlState(state_path)
    try:
        run, resumed = state.begin_run(config.hosts)
        headers = {"User-Agent": config.user_agent, "Accept": _ACCEPT, "Accept-Language": "nl, en;q=0.5"}
        limits = httpx.Limits(max_connections=config.concurrency + 1)
        async with httpx.AsyncClient(headers=headers, timeout=config.timeout, limits=limits) as client:
            gate = HostGate(config.delay)
            fetcher = Fetcher(client, config, gate)
            await CrawlRun(config, state, snapshot_dir, fetcher, gate, run, progress).execute()
        counts = state.finish_run(run)
    finally:
        state.close()
    summary = CrawlSummary(
        fetched=counts.fetched,
        skipped=counts.skipped,
        failed=counts.failed,
        new=counts.new,
        changed=counts.changed,
        unchanged=counts.unchanged,
        removed=counts.removed,
        duplicates=counts.duplicates,
        run=run,
        resumed=resumed,
        seconds=round(time.monotonic() - started, 3),
    )
    logger.info("Crawl %s klaar: %s", run, summary)
    return summary


def crawl_sync(
    config: CrawlConfig, state_path: Path, snapshot_dir: Path, *, progress: Progress | None = None
) -> CrawlSummary:
    """``crawl`` for callers without an event loop (the CLI)."""
    return asyncio.run(crawl(config, state_path, snapshot_dir, progress=progress))


def load_documents(state_path: Path, snapshot_dir: Path) -> list[ParsedDocument]:
    """The current crawled documents (not removed, each content once) for the indexer."""
    state = CrawlState(state_path)
    try:
        current = state.current_documents()
    finally:
        state.close()
    documents: list[ParsedDocument] = []
    for doc in current:
        try:
            documents.append(
                document_from_json(doc_path(snapshot_dir, doc.doc_id).read_text(encoding="utf-8"))
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning(
                "Gecrawld document %s (%s) ontbreekt of is onleesbaar: %s", doc.doc_id, doc.url, exc
            )
    return documents


def finished_runs(state_path: Path) -> list[RunRecord]:
    """The crawl record: every finished run, the newest first; none before the first crawl."""
    if not state_path.exists():
        return []
    state = CrawlState(state_path)
    try:
        return state.finished_runs()
    finally:
        state.close()


def related_links(state_path: Path, url: str) -> list[tuple[str, str]]:
    """Links (URL, text) in the main content of a crawled page: related publications, downloads."""
    state = CrawlState(state_path)
    try:
        return [(link.target, link.text) for link in state.links_from(url) if link.related]
    finally:
        state.close()
