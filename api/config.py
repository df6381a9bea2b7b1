"""What the API is given by the composition root: its configuration and the parts it cannot build itself.

The API reads no environment: ``kis.wiring`` builds an ``ApiConfig`` from the settings and hands over
``AppParts``, the constructors of the embedder and the answerer, so this package need not know how a
deployment chose them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from ingest.config import IngestConfig
from ingest.crawl.config import CrawlConfig
from ingest.crawl.sources import Sources
from rag.answer.assistant import Assistant
from rag.conversation.store import ConversationStore
from rag.embedders import Embedder


@dataclass(frozen=True)
class ApiConfig:
    """The service's knobs; ``ingest`` is what the admin re-ingest runs with."""

    data_dir: Path
    corpus_dir: Path
    database_url: str
    ingest: IngestConfig
    admin_api_key: SecretStr | None = None
    cors_origins: list[str] = field(default_factory=list)
    rate_limit_per_minute: int = 60
    redis_url: str | None = None  # the rate limit's shared counts; None: each worker its own
    max_body_bytes: int = 64 * 1024
    conversation_ttl_hours: float = 24.0
    index_check_seconds: float = 5.0
    answer_concurrency: int = 4
    retrieval_k: int = 8
    log_level: str = "INFO"

    @property
    def index_dir(self) -> Path:
        return self.ingest.index_dir


# The answerer over the current build (or the named one), sharing the process's embedder and
# conversation store.
AssistantLoader = Callable[[Embedder, ConversationStore, str | None], Assistant]


@dataclass(frozen=True)
class AppParts:
    """Constructors the composition root chooses: one embedder per process, the answerer per build,
    and the configured web sources, read when a crawl starts or is shown (so an edit of
    ``sources.toml`` needs no restart, and a broken one fails that crawl, not the service)."""

    embedder: Callable[[], Embedder]
    assistant: AssistantLoader
    crawl_config: Callable[[], CrawlConfig]
    crawl_sources: Callable[[], list[Sources]]
