"""The FastAPI app (``create_app``, for tests and workers) and its server (``serve``, as ``kis serve``).

The lifespan builds the object graph once (stores, migrations, the answerer over the index) and runs
the housekeeping loop: a newer index build is picked up and expired conversations are deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from api.db import ApiStore
from api.errors import ErrorResponse, install_error_handlers
from api.logs import configure_logging, logging_config
from api.metrics import MULTIPROC_ENV
from api.middleware import REQUEST_ID_HEADER, BodyLimitMiddleware, RequestContextMiddleware
from api.migrations import upgrade
from api.ratelimit import RateLimitMiddleware
from api.routes import (
    admin,
    budget,
    chat,
    conversations,
    documents,
    evals,
    feedback,
    health,
    search,
    sources,
)
from api.state import AppState
from rag.errors import KisError
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)

VERSION = "1.0.0"
V1_ROUTERS = (
    chat.router,
    conversations.router,
    feedback.router,
    search.router,
    sources.router,
    documents.router,
    budget.router,
    evals.router,
    admin.router,
)


async def _housekeeping(state: AppState) -> None:
    while True:
        await asyncio.sleep(state.settings.index_check_seconds)
        try:
            await run_in_threadpool(state.housekeeping)
        except KisError as exc:  # the database away for a moment: try again next round
            log.warning("onderhoud mislukt: %s", exc)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    state = AppState(settings)
    await run_in_threadpool(state.holder.refresh)
    app.state.kis = state
    loop = asyncio.create_task(_housekeeping(state), name="housekeeping")
    log.info("API gestart", extra={"build": state.holder.build_id})
    try:
        yield
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
        if state.turns:  # streamed turns whose client left: let them finish storing
            await asyncio.wait(state.turns, timeout=30)
        state.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app on ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="KIS Kennisassistent",
        description="Vragen over de kennis van Kennisplatform Inclusief Samenleven, met bronvermelding.",
        version=VERSION,
        lifespan=lifespan,
        responses={
            400: {"model": ErrorResponse, "description": "Geen leesbaar verzoek (bijv. geen geldige JSON)."},
            413: {"model": ErrorResponse},
            429: {"model": ErrorResponse},
            500: {"model": ErrorResponse},
        },
    )
    app.state.settings = settings
    install_error_handlers(app)
    for router in V1_ROUTERS:
        app.include_router(router, prefix="/v1")
    app.include_router(health.router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
    )
    prefixes = {id(route): "/v1" for router in V1_ROUTERS for route in router.routes}
    app.add_middleware(RequestContextMiddleware, prefixes=prefixes)
    return app


def upgrade_database(settings: Settings) -> None:
    """``kis db upgrade``: the API's tables to the newest schema."""
    store = ApiStore(settings.resolved_database_url)
    try:
        upgrade(store.engine)
    finally:
        store.engine.dispose()


def serve(settings: Settings | None = None) -> None:
    """``kis serve``: uvicorn on ``api_host:api_port`` with ``api_workers`` processes.

    Migrations run here once, before any worker starts. Several workers are separate processes
    that each read their Settings from the environment, as ``kis serve`` itself does.
    """
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    store = ApiStore(settings.resolved_database_url)
    upgrade(store.engine)
    if abandoned := store.fail_abandoned_jobs():
        log.warning("onderbroken herindexeringen als mislukt gemarkeerd", extra={"count": abandoned})
    store.engine.dispose()
    options = {
        "host": settings.api_host,
        "port": settings.api_port,
        "access_log": False,
        "log_config": logging_config(settings.log_level),
        "timeout_graceful_shutdown": 30,
    }
    if settings.api_workers <= 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    metrics_dir = settings.data_dir / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(metrics_dir.resolve())  # read by prometheus-client in each worker
    uvicorn.run("api.main:create_app", factory=True, workers=settings.api_workers, **options)  # type: ignore[arg-type]
