"""What an ingest needs to know, handed down by the composition root (no environment is read here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IngestConfig:
    """Where the sources and the index live, how passages are cut and where vectors go."""

    corpus_dir: Path
    index_dir: Path
    crawl_dir: Path
    chunk_min_words: int = 80
    chunk_max_words: int = 250
    chunk_overlap_words: int = 30
    chroma_host: str | None = None
    chroma_port: int = 8000
    embed_batch_size: int = 32
