"""The FastAPI app (``create_app``), built from what the composition root hands over.

The lifespan builds the object graph once (stores, migrations, the answerer over the index) and runs
the housekeeping loop: a newer index build is picked up and expired conversations are deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from api.config import ApiConfig, AppParts
from api.db import ApiStore
from api.errors import ErrorResponse, install_error_handlers, public_message
from api.middleware import REQUEST_ID_HEADER, BodyLimitMiddleware, RequestContextMiddleware
from api.migrations import upgrade
from api.ratelimit import RateLimitMiddleware
from api.routes import (
    admin,
    budget,
    chat,
    conversations,
    document_view,
    documents,
    evals,
    feedback,
    health,
    search,
    sources,
)
from api.state import AppState
from rag.errors import KisError, StoreError

log = logging.getLogger(__name__)
MAX_HOUSEKEEPING_PAUSE = 300.0  # seconds between tries while housekeeping keeps failing

VERSION = "1.0.0"
V1_ROUTERS = (
    chat.router,
    conversations.router,
    feedback.router,
    search.router,
    sources.router,
    documents.router,
    document_view.router,
    budget.router,
    evals.router,
    admin.router,
)


async def _housekeeping(state: AppState) -> None:
    """Supervised: whatever fails (an unreadable build, the database away) is logged, marks the
    service degraded in /readyz with the reason, and is tried again after a growing pause."""
    pause = state.config.index_check_seconds
    while True:
        await asyncio.sleep(pause)
        try:
            await run_in_threadpool(state.housekeeping)
        except Exception as exc:  # a supervisor: the loop must outlive any failure
            if state.degraded is None and isinstance(exc, KisError):  # a fault: one clear line
                log.warning("onderhoud mislukt, opnieuw over %.0f s: %s", pause, exc)
            elif state.degraded is None:  # a bug: with its traceback
                log.exception("onderhoud mislukt door een interne fout; opnieuw over %.0f s", pause)
            state.degraded = f"onderhoud mislukt ({public_message(exc)})"
            pause = min(pause * 2, MAX_HOUSEKEEPING_PAUSE)
            continue
        if state.degraded is not None:
            log.info("onderhoud weer gelukt")
        state.degraded = None
        pause = state.config.index_check_seconds


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    state = AppState(app.state.config, app.state.parts)
    try:
        await run_in_threadpool(state.holder.refresh)
    except Exception as exc:
        log.exception("index niet geladen bij de start")
        state.degraded = f"index niet geladen ({public_message(exc)})"
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


def create_app(config: ApiConfig, parts: AppParts) -> FastAPI:
    """The app on ``config``; the lifespan builds its state with ``parts``."""
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
    app.state.config = config
    app.state.parts = parts
    install_error_handlers(app)
    for router in V1_ROUTERS:
        app.include_router(router, prefix="/v1")
    app.include_router(health.router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=config.max_body_bytes)
    app.add_middleware(
        RateLimitMiddleware, per_minute=config.rate_limit_per_minute, redis_url=config.redis_url
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=config.cors_origins,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
    )
    prefixes = {id(route): "/v1" for router in V1_ROUTERS for route in router.routes}
    app.add_middleware(RequestContextMiddleware, prefixes=prefixes)
    return app


def upgrade_database(database_url: str) -> None:
    """``kis db upgrade``: the API's tables to the newest schema."""
    with _opened(database_url) as store:
        upgrade(store.engine)


def prepare_database(database_url: str) -> None:
    """Before any worker starts: migrations once, and ingest jobs of a killed process marked failed."""
    with _opened(database_url) as store:
        upgrade(store.engine)
        if abandoned := store.fail_abandoned_jobs():
            log.warning("onderbroken herindexeringen als mislukt gemarkeerd", extra={"count": abandoned})


@contextlib.contextmanager
def _opened(database_url: str) -> Iterator[ApiStore]:
    """The store, its engine disposed after use; a database that cannot be opened or read (a
    corrupt or foreign SQLite file, a server that refuses) is one StoreError line, not the
    driver's traceback."""
    store = ApiStore(database_url)
    try:
        yield store
    except SQLAlchemyError as exc:
        where = make_url(database_url).render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise StoreError(
            f"De database {where} is onbruikbaar ({reason}): herstel of verwijder het bestand, of wijs "
            "met KIS_DATABASE_URL een andere database aan."
        ) from exc
    finally:
        store.engine.dispose()
