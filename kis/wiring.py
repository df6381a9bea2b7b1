"""The object graph built from Settings, in one place: each part of the product gets its constructor here.

Entry points (the ``kis`` command, API workers, benchmarks, tests) call these; the packages below
take plain arguments and never read the environment.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from api.config import ApiConfig, AppParts
from api.logs import configure_logging, logging_config
from api.main import create_app, prepare_database
from api.metrics import MULTIPROC_ENV
from ingest.config import IngestConfig
from ingest.crawl.config import CrawlConfig
from ingest.crawl.sources import Sources, merge_sources, named_sources
from ingest.index.build import BuildReport
from ingest.pipeline import index_exists as ingest_index_exists
from ingest.pipeline import ingest as run_ingest
from kis.settings import Settings, get_settings
from rag.answer.assistant import AnswerSettings, Assistant, ComposeFn
from rag.answer.assistant import build_assistant as assemble_assistant
from rag.answer.llm import LLMComposer, make_chat_model
from rag.conversation.store import ConversationStore
from rag.embedders import Embedder, make_embedder
from rag.retrieval.retriever import Retriever
from rag.store.embed_cache import Progress
from rag.store.index import Index


def build_embedder(settings: Settings) -> Embedder:
    """The configured embedder (``KIS_EMBEDDER``, ``KIS_EMBED_URL``, ``KIS_EMBED_API_KEY``)."""
    return make_embedder(settings.embedder, settings.embed_url, settings.embed_api_key)


def open_index(settings: Settings, build: str | None = None) -> Index:
    """The current index build (or the named one), its vectors embedded on disk or on the
    configured Chroma server."""
    return Index.open(
        settings.index_dir, build=build, chroma_host=settings.chroma_host, chroma_port=settings.chroma_port
    )


def build_retriever(settings: Settings) -> Retriever:
    """Retrieval alone over the current index, for ``kis search``."""
    return Retriever(
        open_index(settings),
        build_embedder(settings),
        candidate_k=settings.candidate_k,
        dense_weight=settings.dense_weight,
    )


def build_composer(settings: Settings) -> ComposeFn | None:
    """The guarded LLM composer when an LLM is configured; None keeps the extractive one."""
    if not settings.llm_url:
        return None
    model = make_chat_model(settings.llm_provider, settings.llm_url, settings.llm_model, settings.llm_api_key)
    return LLMComposer(model)


def build_assistant(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    conversations: ConversationStore | None = None,
    build: str | None = None,
) -> Assistant:
    """The answerer over the current index. A long-running process passes its embedder and
    conversation store so that reloading an index reuses them."""
    return assemble_assistant(
        open_index(settings, build),
        embedder or build_embedder(settings),
        conversations or ConversationStore(settings.resolved_database_url),
        candidate_k=settings.candidate_k,
        dense_weight=settings.dense_weight,
        settings=AnswerSettings(
            k=settings.retrieval_k,
            dense_weight_en=settings.dense_weight_en,
            max_source_age_years=settings.max_source_age_years,
        ),
        composer=build_composer(settings),
    )


def ingest_config(settings: Settings) -> IngestConfig:
    return IngestConfig(
        corpus_dir=settings.corpus_dir,
        index_dir=settings.index_dir,
        crawl_dir=settings.crawl_dir,
        chunk_min_words=settings.chunk_min_words,
        chunk_max_words=settings.chunk_max_words,
        chunk_overlap_words=settings.chunk_overlap_words,
        chroma_host=settings.chroma_host,
        chroma_port=settings.chroma_port,
        embed_batch_size=settings.embed_batch_size,
    )


def ingest(settings: Settings, embedder: Embedder, *, progress: Progress | None = None) -> BuildReport:
    """Parse, chunk, embed and store the configured sources as a new build, swapped in when complete."""
    return run_ingest(ingest_config(settings), embedder, progress=progress)


def index_exists(settings: Settings) -> bool:
    return ingest_index_exists(ingest_config(settings))


@dataclass(frozen=True)
class CrawlOptions:
    """What ``kis crawl`` was told on its command line; each one overrides the settings."""

    seeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    follow_only: tuple[str, ...] = ()
    max_pages: int | None = None
    max_depth: int | None = None
    delay: float | None = None
    concurrency: int | None = None


def crawl_sources(settings: Settings) -> list[Sources]:
    """The sites a crawl without options covers: the one ``KIS_CRAWL_SEEDS``/``_SITEMAPS`` name,
    else those of ``corpus/sources.toml``."""
    if settings.crawl_seeds or settings.crawl_sitemaps:
        named = Sources(
            "KIS_CRAWL-instellingen",
            seeds=tuple(settings.crawl_seeds),
            sitemaps=tuple(settings.crawl_sitemaps),
            allowed_hosts=tuple(settings.crawl_allowed_hosts),
        )
        return [named]
    return named_sources(settings.corpus_dir)


def crawl_config(settings: Settings, options: CrawlOptions = CrawlOptions()) -> CrawlConfig:
    """One crawl's scope and manners: the options, else the settings, else the configured sources."""
    sources = Sources() if options.seeds or options.sitemaps else merge_sources(crawl_sources(settings))
    return CrawlConfig(
        seeds=options.seeds or sources.seeds,
        sitemaps=options.sitemaps or sources.sitemaps,
        allowed_hosts=options.hosts or tuple(settings.crawl_allowed_hosts) or sources.allowed_hosts,
        path_prefixes=options.prefixes or tuple(settings.crawl_path_prefixes) or sources.path_prefixes,
        follow_only=options.follow_only or tuple(settings.crawl_follow_only) or sources.follow_only,
        delay=settings.crawl_delay if options.delay is None else options.delay,
        concurrency=options.concurrency or settings.crawl_concurrency,
        max_pages=options.max_pages or settings.crawl_max_pages,
        max_depth=settings.crawl_max_depth if options.max_depth is None else options.max_depth,
    )


def api_config(settings: Settings) -> ApiConfig:
    return ApiConfig(
        data_dir=settings.data_dir,
        corpus_dir=settings.corpus_dir,
        database_url=settings.resolved_database_url,
        ingest=ingest_config(settings),
        admin_api_key=settings.admin_api_key,
        cors_origins=list(settings.cors_origins),
        rate_limit_per_minute=settings.rate_limit_per_minute,
        redis_url=settings.redis_url,
        max_body_bytes=settings.max_body_bytes,
        conversation_ttl_hours=settings.conversation_ttl_hours,
        index_check_seconds=settings.index_check_seconds,
        answer_concurrency=settings.answer_concurrency,
        retrieval_k=settings.retrieval_k,
        log_level=settings.log_level,
    )


def build_app(settings: Settings | None = None) -> FastAPI:
    """The API app on ``settings`` (default: from the environment); each uvicorn worker calls this."""
    settings = settings or get_settings()
    parts = AppParts(
        embedder=lambda: build_embedder(settings),
        assistant=lambda embedder, conversations, build: build_assistant(
            settings, embedder=embedder, conversations=conversations, build=build
        ),
        crawl_config=lambda: crawl_config(settings),
        crawl_sources=lambda: crawl_sources(settings),
    )
    return create_app(api_config(settings), parts)


def serve(settings: Settings) -> None:
    """``kis serve``: uvicorn on ``api_host:api_port`` with ``api_workers`` processes.

    Migrations run here once, before any worker starts. Several workers are separate processes
    that each read their Settings from the environment, as ``kis serve`` itself does.
    """
    configure_logging(settings.log_level)
    prepare_database(settings.resolved_database_url)
    options = {
        "host": settings.api_host,
        "port": settings.api_port,
        "access_log": False,
        # X-Forwarded-For only from configured proxies: uvicorn trusts 127.0.0.1 by default
        "proxy_headers": bool(settings.forwarded_allow_ips),
        "forwarded_allow_ips": settings.forwarded_allow_ips or None,
        "log_config": logging_config(settings.log_level),
        "timeout_graceful_shutdown": 30,
    }
    if settings.api_workers <= 1:
        uvicorn.run(build_app(settings), **options)  # type: ignore[arg-type]
        return
    metrics_dir = settings.data_dir / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(metrics_dir.resolve())  # read by prometheus-client in each worker
    uvicorn.run("kis.wiring:build_app", factory=True, workers=settings.api_workers, **options)  # type: ignore[arg-type]
