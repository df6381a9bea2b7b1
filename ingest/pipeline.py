"""The ingest flow in one place: manifest and crawl → parse → chunk → embed → store (aside, then swap)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ingest.budget.audit import audit_budget
from ingest.budget.tables import parse_budget
from ingest.config import IngestConfig
from ingest.crawl.crawler import STATE_NAME, load_documents
from ingest.index.build import BuildReport, build_index
from ingest.index.chunk import chunk_document
from ingest.manifest import load_manifest, read_source
from ingest.near_duplicates import newest_versions
from ingest.parse.werkplan import parse_werkplan
from rag.budget.records import BudgetTables
from rag.budget.store import save_budget
from rag.embedders import Embedder
from rag.errors import ConfigError, SourceError
from rag.schema import Chunk, ParsedDocument
from rag.store.embed_cache import Progress
from rag.store.index import BuildPaths, current_build, read_build_info


@dataclass(frozen=True)
class Corpus:
    """Everything parsed from the corpus dir, before embedding."""

    documents: list[ParsedDocument]
    chunks: list[Chunk]
    budget: BudgetTables | None
    budget_key: str  # hash of the text the budget came from
    duplicates: dict[str, str]  # an older version's id → the id of the newest, which is indexed


def parse_corpus(config: IngestConfig) -> Corpus:
    """Parse and chunk every manifest document and every crawled one; errors name the file."""
    documents: list[ParsedDocument] = []
    budget: BudgetTables | None = None
    budget_key = ""
    for info in load_manifest(config.corpus_dir):
        raw = read_source(config.corpus_dir, info)
        if info.kind != "werkplan":
            raise ConfigError(f"Document {info.id}: soort {info.kind!r} wordt via 'kis crawl' binnengehaald.")
        documents.append(parse_werkplan(raw, info))
        if budget is None:
            budget = parse_budget(raw)
            budget_key = hashlib.sha256(raw.encode()).hexdigest()
    state = config.crawl_dir / STATE_NAME
    if state.exists():
        known = {doc.info.id for doc in documents}
        documents += [doc for doc in load_documents(state, config.crawl_dir) if doc.info.id not in known]
    documents, duplicates = newest_versions(documents)
    chunks = [
        chunk
        for doc in documents
        for chunk in chunk_document(
            doc,
            min_words=config.chunk_min_words,
            max_words=config.chunk_max_words,
            overlap_words=config.chunk_overlap_words,
        )
    ]
    if not chunks:  # an empty index would serve nothing; say so instead of building one
        raise SourceError(
            f"Er is niets te indexeren: het manifest in {config.corpus_dir} noemt geen documenten en er is "
            "nog niets gecrawld. Voeg een document toe of voer eerst 'kis crawl' uit."
        )
    return Corpus(documents, chunks, budget, budget_key, duplicates)


def ingest(config: IngestConfig, embedder: Embedder, *, progress: Progress | None = None) -> BuildReport:
    corpus = parse_corpus(config)

    def write_budget(paths: BuildPaths) -> None:
        if corpus.budget is not None:
            save_budget(paths.budget, corpus.budget, audit_budget(corpus.budget))

    return build_index(
        config.index_dir,
        corpus.documents,
        corpus.chunks,
        embedder,
        write_extras=write_budget,
        extras_key=corpus.budget_key,
        duplicates=corpus.duplicates,
        chroma_host=config.chroma_host,
        chroma_port=config.chroma_port,
        batch_size=config.embed_batch_size,
        progress=progress,
    )


def index_exists(config: IngestConfig) -> bool:
    """A current index in the format this version reads; one of an older format is rebuilt."""
    paths = current_build(config.index_dir)
    return paths is not None and read_build_info(paths).readable
