"""Re-ingest, or crawl then re-ingest, in a background thread, progress kept in the ``ingest_jobs`` table.

The new build is written aside and swapped in by ``ingest``; queries go on against the loaded
build meanwhile, and when the job is done the app loads the new one. Other workers see the job's
progress through the database and pick up the new build on their next index check. One job runs
at a time, of either kind: both build the index.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable

from api.db import JobKind, JobRow
from api.errors import ApiError, public_message
from api.models import CrawlFigures
from api.state import AppState
from ingest.crawl.crawler import STATE_NAME, crawl_sync
from ingest.pipeline import ingest
from rag.errors import KisError, SourceError

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes
NAMES = {"ingest": "herindexering", "crawl": "crawl"}


def start_ingest(state: AppState) -> JobRow:
    """Queue a re-ingest and start its thread; 409 when a job is queued or running already."""
    return _start(state, "ingest", run_ingest)


def start_crawl(state: AppState) -> JobRow:
    """Queue a crawl of the configured sources followed by a re-ingest; 409 as ``start_ingest``."""
    return _start(state, "crawl", run_crawl)


def _start(state: AppState, kind: JobKind, work: Callable[[AppState, str], None]) -> JobRow:
    job = state.store.create_job(kind)
    if job is None:
        raise ApiError(
            409, f"{kind}_running", "Er loopt al een crawl of herindexering; wacht tot die klaar is."
        )
    context = contextvars.copy_context()  # the job's log lines carry the request id that started it
    thread = threading.Thread(
        target=context.run,
        args=(_guarded, state, job.id, kind, work),
        name=f"{kind}-{job.id[:8]}",
        daemon=True,
    )
    thread.start()
    return job


def _guarded(state: AppState, job_id: str, kind: JobKind, work: Callable[[AppState, str], None]) -> None:
    """Run ``work``; any fault ends the job as failed with one Dutch sentence, never a traceback."""
    name = NAMES[kind]
    log.info("%s gestart", name, extra={"job": job_id})
    try:
        work(state, job_id)
    except KisError as exc:
        log.warning("%s mislukt: %s", name, exc, extra={"job": job_id})
        state.store.update_job(job_id, state="failed", message=public_message(exc))
    except Exception:  # a bug must not leave the job "running" forever; logged with its traceback
        log.exception("%s mislukt door een interne fout", name, extra={"job": job_id})
        state.store.update_job(job_id, state="failed", message="Interne fout; zie de serverlogs.")


def _progress(state: AppState, job_id: str) -> Callable[[int, int], None]:
    """Progress writes, at most one per PROGRESS_EVERY seconds and always the last."""
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if done >= total or time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            state.store.update_job(job_id, done=done, total=total)

    return progress


def run_ingest(state: AppState, job_id: str, prefix: str = "") -> None:
    """Ingest, load the new build, and end the job with what it did (after ``prefix``)."""
    state.store.update_job(job_id, state="running", message=f"{prefix}Bezig met inlezen en embedden.")
    report = ingest(state.config.ingest, state.embedder(), progress=_progress(state, job_id))
    state.holder.refresh()
    message = (
        "De index was al actueel; er is niets gewijzigd."
        if report.up_to_date
        else f"Klaar: {report.chunks} passages, {report.embedded} opnieuw ge-embed, {report.seconds:.1f} s."
    )
    state.store.update_job(
        job_id,
        state="done",
        build_id=report.build_id,
        message=f"{prefix}{message}",
        done=report.chunks,
        total=report.chunks,
    )
    log.info("index bijgewerkt", extra={"job": job_id, "build": report.build_id})


def run_crawl(state: AppState, job_id: str) -> None:
    """Crawl the configured sources as ``kis crawl`` does, record its figures, then re-ingest. A
    crawl that fetched no page at all is a fault: the index is left as it was."""
    state.store.update_job(job_id, state="running", message="Bezig met crawlen.")
    crawl_dir = state.config.ingest.crawl_dir
    summary = crawl_sync(
        state.parts.crawl_config(), crawl_dir / STATE_NAME, crawl_dir, progress=_progress(state, job_id)
    )
    figures = CrawlFigures.of(summary)
    state.store.update_job(job_id, crawl=figures.model_dump())
    log.info("crawl klaar", extra={"job": job_id, **figures.model_dump()})
    if not summary.fetched:
        raise SourceError(
            f"De crawl haalde geen enkele pagina op ({summary.failed} mislukt, {summary.skipped} "
            "overgeslagen). Controleer of de bronnen in corpus/sources.toml bereikbaar zijn; "
            "de index is niet gewijzigd."
        )
    crawled = (
        f"Gecrawld: {summary.fetched} pagina's opgehaald ({figures.new} nieuw, {figures.changed} "
        f"gewijzigd, {summary.unchanged} ongewijzigd), {summary.removed} verwijderd, "
        f"{summary.failed} mislukt. "
    )
    run_ingest(state, job_id, crawled)
