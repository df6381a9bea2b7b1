"""``/v1/admin/ingest``: re-ingest the corpus in the background and follow its progress."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AdminDep, StateDep, StoreDep
from api.errors import ApiError, ErrorResponse
from api.jobs import start_ingest
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
    job = store.job(job_id)
    if job is None:
        raise ApiError(404, "job_not_found", "Deze herindexering is onbekend.")
    return JobOut.model_validate(job)
