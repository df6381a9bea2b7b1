"""``/healthz`` (the process answers), ``/readyz`` (index loaded, stores reachable), ``/metrics``."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response

from api.deps import StateDep
from api.errors import ApiError, ErrorResponse, public_message
from api.metrics import render
from api.models import Health
from rag.errors import KisError

log = logging.getLogger(__name__)
router = APIRouter(tags=["status"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """Het proces leeft."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": ErrorResponse}})
def readyz(state: StateDep) -> Health:
    """Klaar voor vragen: index geladen en ongeschonden, embedder en vectoropslag werken, database
    bereikbaar."""
    if state.degraded is not None:
        raise ApiError(503, "not_ready", f"Niet gereed: {state.degraded}.")
    if state.holder.problem:  # the active build could not be loaded (an older one may be serving)
        raise ApiError(503, "not_ready", f"Niet gereed: {state.holder.problem}")
    try:
        assistant = state.holder.assistant
        assistant.retriever.dense("gereed", 1)  # the whole dense path: embedder service, Chroma server
        assistant.index.verify()  # the build's files are as it wrote them
        state.store.ping()
    except KisError as exc:
        raise ApiError(503, "not_ready", f"Niet gereed: {public_message(exc)}") from exc
    return Health(status="ready", build=assistant.index.info.id)


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics() -> Response:
    """Prometheus-metrieken."""
    body, content_type = render()
    return Response(body, media_type=content_type)
