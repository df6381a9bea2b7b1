"""The hybrid index as the answerer sees it: the active build of chunks, vectors, BM25 and budget.

Layout under ``index_dir``::

    current                 name of the active build (replaced atomically on swap)
    builds/<id>/build.json  written last: a build without it is unfinished and never used
    builds/<id>/chunks.jsonl, bm25/, docs/<doc_id>.txt, budget.sqlite, chroma/ (embedded mode)
    embeddings.sqlite       the embedding cache, shared by all builds
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import StoreError
from rag.schema import Chunk
from rag.store.bm25 import BM25Index
from rag.store.checksums import changed
from rag.store.vectorstore import ChromaStore, Metadata, chroma_client

# 2: BM25 reads lexical_text (budget tables say what they are); 3: conjunctions are stop words,
# "in te dienen" is one verb
# 4: checksums of the build's files; 5: a broader HNSW search (vectorstore.HNSW); 6: the documents
# name their contact people (build.json)
INDEX_FORMAT = 6


@dataclass(frozen=True)
class BuildInfo:
    """What ``build.json`` records about a finished build."""

    id: str
    fingerprint: str
    embedder: str
    collection: str
    created: str
    chunks: int
    documents: list[dict[str, Any]]
    format: int = INDEX_FORMAT
    duplicates: dict[str, str] = field(default_factory=dict)  # older version's id → the one indexed

    @property
    def readable(self) -> bool:
        """Built in the format this version reads: its words were read as questions now are."""
        return self.format == INDEX_FORMAT


@dataclass(frozen=True)
class BuildPaths:
    root: Path

    @property
    def info(self) -> Path:
        return self.root / "build.json"

    @property
    def chunks(self) -> Path:
        return self.root / "chunks.jsonl"

    @property
    def bm25(self) -> Path:
        return self.root / "bm25"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def budget(self) -> Path:
        return self.root / "budget.sqlite"

    @property
    def chroma(self) -> Path:
        return self.root / "chroma"


def builds_dir(index_dir: Path) -> Path:
    return index_dir / "builds"


def read_build_info(paths: BuildPaths) -> BuildInfo:
    try:
        return BuildInfo(**json.loads(paths.info.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise StoreError(f"Index {paths.root} is beschadigd of onvolledig (build.json): {exc}") from exc


def current_build(index_dir: Path) -> BuildPaths | None:
    """The active build, or None when nothing was ever ingested."""
    pointer = index_dir / "current"
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return BuildPaths(builds_dir(index_dir) / name)


def verify(paths: BuildPaths) -> None:
    """The build's files are as it wrote them, or StoreError names those that are not."""
    if bad := changed(paths.root):
        raise StoreError(
            f"Index {paths.root.name} is beschadigd: {', '.join(bad[:5])} wijkt af van de checksums "
            "van de build; voer 'kis ingest' uit."
        )


def finished_builds(index_dir: Path) -> list[str]:
    """The builds an ingest finished (they have ``build.json``), newest first."""
    root = builds_dir(index_dir)
    if not root.is_dir():
        return []
    return sorted((p.name for p in root.iterdir() if (p / "build.json").exists()), reverse=True)


def chunk_to_json(chunk: Chunk) -> str:
    return json.dumps(asdict(chunk), ensure_ascii=False)


def chunk_metadata(chunk: Chunk) -> Metadata:
    """Flat metadata for Chroma filters (Chroma rejects None values, so they are left out)."""
    fields: dict[str, str | int | float | None] = {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "kind": chunk.kind,
        "url": chunk.url,
        "section": chunk.section_path,
        "project": chunk.project,
        "onderdeel": chunk.onderdeel,
        "theme": chunk.theme,
        "page": chunk.page,
        "confidence": chunk.confidence,
    }
    return {key: value for key, value in fields.items() if value is not None}


def _load_chunks(path: Path) -> dict[str, Chunk]:
    chunks: dict[str, Chunk] = {}
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                data = json.loads(line)
                data["section"] = tuple(data["section"])
                chunk = Chunk(**data)
                chunks[chunk.id] = chunk
    except (OSError, ValueError, TypeError) as exc:
        raise StoreError(f"Index-bestand {path} is beschadigd: {exc}") from exc
    return chunks


class Index:
    """A loaded, read-only build: open once at startup, query many times."""

    def __init__(
        self,
        paths: BuildPaths,
        info: BuildInfo,
        chunks: dict[str, Chunk],
        vectors: ChromaStore,
        bm25: BM25Index,
    ) -> None:
        self.paths = paths
        self.info = info
        self.chunks = chunks
        self.vectors = vectors
        self.bm25 = bm25

    @classmethod
    def open(
        cls,
        index_dir: Path,
        *,
        build: str | None = None,
        chroma_host: str | None = None,
        chroma_port: int = 8000,
    ) -> Index:
        """The current index build (or the named one), with its vectors embedded or on the given
        Chroma server."""
        paths = BuildPaths(builds_dir(index_dir) / build) if build else current_build(index_dir)
        if paths is None:
            raise StoreError(f"Er is nog geen index in {index_dir}: voer eerst 'kis ingest' uit.")
        info = read_build_info(paths)
        if not info.readable:
            raise StoreError(
                f"De index in {paths.root} heeft formaat {info.format}; deze versie leest formaat "
                f"{INDEX_FORMAT}: voer 'kis ingest' uit (de embeddings komen uit de cache)."
            )
        verify(paths)
        chunks = _load_chunks(paths.chunks)
        client = chroma_client(None if chroma_host else paths.chroma, chroma_host, chroma_port)
        vectors = ChromaStore(client, info.collection)
        if vectors.count() != len(chunks):
            raise StoreError(
                f"Index {paths.root} is inconsistent: {vectors.count()} vectoren voor {len(chunks)} passages."
            )
        return cls(paths, info, chunks, vectors, BM25Index.load(paths.bm25))

    def verify(self) -> None:
        """Raise StoreError when a file of this build changed after it was built."""
        verify(self.paths)

    def document_text(self, doc_id: str) -> str:
        """The normalised text a chunk's offsets point into."""
        try:
            return (self.paths.docs / f"{doc_id}.txt").read_text(encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"Tekst van document {doc_id} ontbreekt in de index.") from exc
