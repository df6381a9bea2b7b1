"""``/v1/admin/ingest`` and ``/v1/admin/crawl``: re-ingest the corpus, or crawl the configured web
sources and then re-ingest, in the background, and follow its progress."""

from __future__ import annotations

from fastapi import APIRouter

from api.db import ApiStore, JobKind
from api.deps import AdminDep, StateDep, StoreDep
from api.errors import ApiError, ErrorResponse
from api.jobs import NAMES, start_crawl, start_ingest
from api.models import JobOut

router = APIRouter(
    prefix="/admin",
    tags=["beheer"],
    dependencies=[AdminDep],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)


@router.post("/ingest", response_model=JobOut, status_code=202, responses={409: {"model": ErrorResponse}})
def ingest(state: StateDep) -> JobOut:
    """Start een herindexering; vragen worden intussen uit de oude index beantwoord."""
    return JobOut.model_validate(start_ingest(state))


@router.get("/ingest/{job_id}", response_model=JobOut, responses={404: {"model": ErrorResponse}})
def ingest_job(job_id: str, store: StoreDep) -> JobOut:
    """Voortgang van een herindexering."""
    return _job(store, job_id, "ingest")


@router.post("/crawl", response_model=JobOut, status_code=202, responses={409: {"model": ErrorResponse}})
def crawl(state: StateDep) -> JobOut:
    """Crawl de websites uit corpus/sources.toml (zoals 'kis crawl') en herindexeer daarna; vragen
    worden intussen uit de oude index beantwoord. Eén crawl of herindexering tegelijk."""
    return JobOut.model_validate(start_crawl(state))


@router.get("/crawl/{job_id}", response_model=JobOut, responses={404: {"model": ErrorResponse}})
def crawl_job(job_id: str, store: StoreDep) -> JobOut:
    """Voortgang van een crawl, en als die klaar is wat hij deed ('crawl')."""
    return _job(store, job_id, "crawl")


def _job(store: ApiStore, job_id: str, kind: JobKind) -> JobOut:
    job = store.job(job_id)
    if job is None or job.kind != kind:
        raise ApiError(404, "job_not_found", f"Deze {NAMES[kind]} is onbekend.")
    return JobOut.model_validate(job)
