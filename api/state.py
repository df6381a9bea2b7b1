"""What the app holds between requests: the answerer over the active index, and the stores.

The answerer is loaded once and replaced whole when a newer index build becomes current (after an
ingest by this or another worker): requests already running keep the object they started with, so
queries are served from the old index until the new one is ready. If the index cannot be loaded
(none yet, or the Chroma server is away) the app still starts, reports not-ready, and keeps trying.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from weakref import WeakValueDictionary

from anyio import CapacityLimiter

from api.config import ApiConfig, AppParts
from api.db import ApiStore
from api.migrations import upgrade
from rag.answer.assistant import Assistant
from rag.conversation.store import ConversationStore
from rag.embedders import Embedder
from rag.errors import KisError, StoreError
from rag.store.index import current_build, finished_builds

log = logging.getLogger(__name__)


class AssistantHolder:
    """The current Assistant, reloaded when the ``current`` build pointer moves."""

    def __init__(self, index_dir: Path, loader: Callable[[str | None], Assistant]) -> None:
        self._index_dir = index_dir
        self._loader = loader
        self._assistant: Assistant | None = None
        self._reload = threading.Lock()
        self.problem = "De index wordt geladen."

    @property
    def assistant(self) -> Assistant:
        assistant = self._assistant
        if assistant is None:
            raise StoreError(f"De kennisbank is nu niet beschikbaar. {self.problem}")
        return assistant

    @property
    def build_id(self) -> str | None:
        assistant = self._assistant
        return assistant.index.info.id if assistant else None

    def refresh(self) -> bool:
        """Load the active build if it is not the one loaded; False when nothing changed or it failed."""
        with self._reload:
            build = current_build(self._index_dir)
            if build is not None and build.root.name == self.build_id:
                self.problem = ""
                return False
            try:
                assistant = self._loader(None)
            except KisError as exc:
                if not self.problem.startswith(str(exc)):
                    log.warning("index niet geladen: %s", exc)
                if self._assistant is None:  # at start: the newest build that does open serves
                    self._fall_back(build.root.name if build else None)
                older = (
                    f" De vorige build {self.build_id} beantwoordt intussen vragen."
                    if self._assistant
                    else ""
                )
                self.problem = f"{exc}{older}"
                return False
            self._assistant = assistant
            self.problem = ""
            log.info(
                "index geladen",
                extra={"build": assistant.index.info.id, "chunks": assistant.index.info.chunks},
            )
            return True

    def _fall_back(self, broken: str | None) -> None:
        """Serve the newest finished build other than the one that failed; the failure stays the
        problem (the service is not ready) until the active build can be read."""
        for name in finished_builds(self._index_dir):
            if name == broken:
                continue
            try:
                self._assistant = self._loader(name)
            except KisError:
                continue
            log.warning("vorige build beantwoordt vragen", extra={"build": name, "broken": broken})
            return


class ConversationLocks:
    """One lock per conversation: its turns are answered one after the other, each seeing the last."""

    def __init__(self) -> None:
        self._locks: WeakValueDictionary[str, threading.Lock] = WeakValueDictionary()
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, conversation_id: str | None) -> Iterator[None]:
        if conversation_id is None:
            yield
            return
        with self._guard:
            lock = self._locks.get(conversation_id)
            if lock is None:
                lock = self._locks[conversation_id] = threading.Lock()
        with lock:
            yield


class AppState:
    """The object graph of one API process, built by the lifespan (in the event loop) from ApiConfig."""

    def __init__(self, config: ApiConfig, parts: AppParts) -> None:
        self.config = config
        self.parts = parts
        self.store = ApiStore(config.database_url)
        upgrade(self.store.engine)
        self.conversations = ConversationStore(config.database_url)
        self.holder = AssistantHolder(config.index_dir, loader=self._load)
        self.locks = ConversationLocks()
        self.ttl = timedelta(hours=config.conversation_ttl_hours)
        self.answer_limiter = CapacityLimiter(max(1, config.answer_concurrency))
        self.turns: set[asyncio.Task[object]] = set()  # streamed turns still being answered
        self.degraded: str | None = None  # why background work last failed, until it succeeds again
        self._embedder: Embedder | None = None

    def _load(self, build: str | None) -> Assistant:
        return self.parts.assistant(self.embedder(), self.conversations, build)

    def embedder(self) -> Embedder:
        """One embedder per process, shared by the answerer, its reloads and ingest jobs."""
        if self._embedder is None:
            self._embedder = self.parts.embedder()
        return self._embedder

    def housekeeping(self) -> None:
        """Drop expired conversations and pick up a newer index build; run periodically. A newer
        build that cannot be read is not swapped in (the loaded one keeps serving) and is a fault."""
        expired = self.conversations.expire(self.ttl)
        if expired:
            log.info("verlopen gesprekken verwijderd", extra={"count": expired})
        if not self.holder.refresh() and self.holder.problem:
            raise StoreError(self.holder.problem)

    def close(self) -> None:
        self.store.engine.dispose()
        self.conversations.engine.dispose()
