"""Re-ingest in a background thread, its progress kept in the ``ingest_jobs`` table.

The new build is written aside and swapped in by ``ingest``; queries go on against the loaded
build meanwhile, and when the job is done the app loads the new one. Other workers see the job's
progress through the database and pick up the new build on their next index check.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time

from api.db import JobRow
from api.errors import ApiError, public_message
from api.state import AppState
from ingest.pipeline import ingest
from rag.errors import KisError

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes


def start_ingest(state: AppState) -> JobRow:
    """Queue a job and start its thread; 409 when one is queued or running already."""
    job = state.store.create_job()
    if job is None:
        raise ApiError(409, "ingest_running", "Er loopt al een herindexering; wacht tot die klaar is.")
    context = contextvars.copy_context()  # the job's log lines carry the request id that started it
    thread = threading.Thread(
        target=context.run, args=(run_ingest, state, job.id), name=f"ingest-{job.id[:8]}", daemon=True
    )
    thread.start()
    return job


def run_ingest(state: AppState, job_id: str) -> None:
    state.store.update_job(job_id, state="running", message="Bezig met inlezen en embedden.")
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if done >= total or time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            state.store.update_job(job_id, done=done, total=total)

    log.info("herindexering gestart", extra={"job": job_id})
    try:
        report = ingest(state.config.ingest, state.embedder(), progress=progress)
    except KisError as exc:
        log.warning("herindexering mislukt: %s", exc, extra={"job": job_id})
        state.store.update_job(job_id, state="failed", message=public_message(exc))
        return
    except Exception:  # a bug must not leave the job "running" forever; logged with its traceback
        log.exception("herindexering mislukt door een interne fout", extra={"job": job_id})
        state.store.update_job(job_id, state="failed", message="Interne fout; zie de serverlogs.")
        return
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
        message=message,
        done=report.chunks,
        total=report.chunks,
    )
    log.info("herindexering klaar", extra={"job": job_id, "build": report.build_id})
