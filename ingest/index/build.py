"""Write a new index build aside, then swap it in: a failed or interrupted ingest leaves the old one.

Nothing is re-embedded that the embedding cache already holds, and an ingest whose chunks equal the
active build's (same fingerprint) does no work at all. An embedded Chroma index starts as a copy of
the active build's, with only the changed chunks deleted and added: building its graph anew took
most of a re-index of a large site (63 of 85 s for 46,000 passages), however little had changed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from rag.embedders import Embedder
from rag.errors import StoreError
from rag.schema import Chunk, ParsedDocument
from rag.store.bm25 import BM25Index
from rag.store.checksums import write_checksums
from rag.store.embed_cache import EmbeddingCache, Progress
from rag.store.index import (
    INDEX_FORMAT,
    BuildInfo,
    BuildPaths,
    builds_dir,
    chunk_metadata,
    chunk_to_json,
    current_build,
    read_build_info,
    verify,
)
from rag.store.vectorstore import ChromaStore, chroma_client

log = logging.getLogger(__name__)

KEEP_BUILDS = 2  # the active one and the one before, for a manual roll-back


@dataclass(frozen=True)
class BuildReport:
    build_id: str
    chunks: int
    embedded: int  # embedded now; the rest came from the cache
    seconds: float
    up_to_date: bool = False


def fingerprint(embedder_name: str, chunks: list[Chunk], extra: str = "") -> str:
    """Identifies a build's content: embedder, index format, every chunk with its metadata."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}\x1f{embedder_name}\x1f{extra}".encode())
    for line in sorted(chunk_to_json(c) for c in chunks):
        digest.update(line.encode())
    return digest.hexdigest()


def _declared(documents: list[ParsedDocument]) -> str:
    """What the documents declare besides their text (kind, year, authors, dates): a page whose
    update date changed makes a new build. Not the fetch time, which changes on every crawl."""
    infos = [{**asdict(d.info), "provenance": ""} for d in documents]
    declared = sorted(json.dumps(info, ensure_ascii=False, sort_keys=True) for info in infos)
    return hashlib.sha256("\n".join(declared).encode()).hexdigest()


def build_index(
    index_dir: Path,
    documents: list[ParsedDocument],
    chunks: list[Chunk],
    embedder: Embedder,
    *,
    write_extras: Callable[[BuildPaths], None] = lambda _: None,
    extras_key: str = "",
    duplicates: Mapping[str, str] | None = None,
    chroma_host: str | None = None,
    chroma_port: int = 8000,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the index for ``chunks`` aside and make it current.

    ``write_extras`` writes derived files (the budget records) into the new build; ``extras_key``
    is part of the fingerprint so that a change there also yields a new build. ``duplicates``
    (a dropped older version's id → the id of the version kept) is recorded in ``build.json``.
    """
    try:
        return _locked_build(
            index_dir,
            documents,
            chunks,
            embedder,
            write_extras,
            extras_key,
            duplicates or {},
            chroma_host,
            chroma_port,
            batch_size,
            progress,
        )
    except OSError as exc:  # a read-only or full data directory: one clear line, no traceback
        reason = exc.strerror or type(exc).__name__
        raise StoreError(
            f"Schrijven in de indexmap {index_dir} mislukte ({reason}): is de map beschrijfbaar en is er "
            "ruimte? De actieve index is niet gewijzigd."
        ) from exc


def _locked_build(
    index_dir: Path,
    documents: list[ParsedDocument],
    chunks: list[Chunk],
    embedder: Embedder,
    write_extras: Callable[[BuildPaths], None],
    extras_key: str,
    duplicates: Mapping[str, str],
    chroma_host: str | None,
    chroma_port: int,
    batch_size: int,
    progress: Progress | None,
) -> BuildReport:
    """One ingest at a time per index directory (a file lock), then the build."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / "ingest.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"Er loopt al een ingest op {index_dir}; probeer het later opnieuw.") from exc
        return _build(
            index_dir,
            documents,
            chunks,
            embedder,
            write_extras,
            extras_key,
            duplicates,
            chroma_host,
            chroma_port,
            batch_size,
            progress,
        )


def _build(
    index_dir: Path,
    documents: list[ParsedDocument],
    chunks: list[Chunk],
    embedder: Embedder,
    write_extras: Callable[[BuildPaths], None],
    extras_key: str,
    duplicates: Mapping[str, str],
    chroma_host: str | None,
    chroma_port: int,
    batch_size: int,
    progress: Progress | None,
) -> BuildReport:
    started = time.perf_counter()
    ids = [c.id for c in chunks]
    if len(set(ids)) != len(ids):
        chunks = list({c.id: c for c in chunks}.values())
    content_print = fingerprint(embedder.name, chunks, extras_key + _declared(documents))
    active = current_build(index_dir)
    if (
        active is not None
        and active.info.exists()
        and read_build_info(active).fingerprint == content_print
        and _intact(active)  # a build whose files changed after it was built is built anew
    ):
        # nothing to build, but what a killed ingest left half-built goes all the same
        _prune(index_dir, keep=active.root.name, chroma_host=chroma_host, chroma_port=chroma_port)
        return BuildReport(active.root.name, len(chunks), 0, time.perf_counter() - started, up_to_date=True)

    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    paths = BuildPaths(builds_dir(index_dir) / build_id)
    paths.docs.mkdir(parents=True)
    base = _base(active, embedder.name, chroma_host)
    lines = [chunk_to_json(c) for c in chunks]
    # a chunk the base holds as it is now (same id, text and metadata, so the same vector) stays
    kept = base.lines & set(lines) if base is not None else set()
    fresh = [c for c, line in zip(chunks, lines, strict=True) if line not in kept]
    cache = EmbeddingCache(index_dir / "embeddings.sqlite")
    try:
        vectors, embedded = cache.embed(
            embedder,
            [c.embed_text for c in fresh],
            [c.content_hash for c in fresh],
            batch_size=batch_size,
            progress=progress,
        )
    finally:
        cache.close()

    if base is not None:  # the active build's vectors, less what changed: no graph built anew
        shutil.copytree(base.paths.chroma, paths.chroma)
    collection = base.info.collection if base is not None else f"kis-{build_id.lower()}"
    client = chroma_client(None if chroma_host else paths.chroma, chroma_host, chroma_port)
    try:
        store = ChromaStore(client, collection, create=base is None)
        if base is not None:
            store.delete([json.loads(line)["id"] for line in base.lines - kept])
        metadata = [chunk_metadata(c) for c in fresh]
        store.add([c.id for c in fresh], vectors, [c.text for c in fresh], metadata)
        stored = store.count()
    finally:  # Chroma keeps an embedded client's whole index in memory until it is closed
        client.close()
    if stored != len(chunks):
        raise StoreError(f"Chroma bevat {stored} van de {len(chunks)} passages; index niet gewisseld.")
    BM25Index.build([c.id for c in chunks], [c.lexical_text for c in chunks]).save(paths.bm25)
    paths.chunks.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    for doc in documents:
        (paths.docs / f"{doc.info.id}.txt").write_text(doc.text, encoding="utf-8")
    write_extras(paths)
    write_checksums(paths.root)

    per_document = Counter(c.doc_id for c in chunks)  # one pass; a scan per document is quadratic
    info = BuildInfo(
        id=build_id,
        fingerprint=content_print,
        embedder=embedder.name,
        collection=collection,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        chunks=len(chunks),
        documents=[{**asdict(d.info), "chunks": per_document[d.info.id]} for d in documents],
        duplicates=dict(duplicates),
    )
    paths.info.write_text(json.dumps(asdict(info), ensure_ascii=False, indent=2), encoding="utf-8")
    _swap(index_dir, build_id)
    _prune(index_dir, keep=build_id, chroma_host=chroma_host, chroma_port=chroma_port)
    return BuildReport(build_id, len(chunks), embedded, time.perf_counter() - started)


@dataclass(frozen=True)
class _Base:
    """The active build a new one starts from: its Chroma files are copied, what changed replaced."""

    paths: BuildPaths
    info: BuildInfo
    lines: frozenset[str]  # its chunks as written to chunks.jsonl


def _base(active: BuildPaths | None, embedder_name: str, chroma_host: str | None) -> _Base | None:
    """The active build when its vectors can be reused: embedded Chroma (a server's collection is
    shared by the replicas and stays as it is), the same embedder, readable and intact."""
    if chroma_host or active is None or not active.info.exists():
        return None
    info = read_build_info(active)
    if not info.readable or info.embedder != embedder_name or not _intact(active):
        return None
    return _Base(active, info, frozenset(active.chunks.read_text(encoding="utf-8").splitlines()))


def _intact(paths: BuildPaths) -> bool:
    try:
        verify(paths)
    except StoreError:
        return False
    return True


def _swap(index_dir: Path, build_id: str) -> None:
    """Point ``current`` at the new build with an atomic rename."""
    tmp = index_dir / f"current.{os.getpid()}.tmp"
    tmp.write_text(build_id, encoding="utf-8")
    os.replace(tmp, index_dir / "current")


def _prune(index_dir: Path, *, keep: str, chroma_host: str | None, chroma_port: int) -> None:
    """Drop unfinished builds and all but the newest finished ones."""
    finished = sorted(p for p in builds_dir(index_dir).iterdir() if (p / "build.json").exists())
    stale = [p for p in builds_dir(index_dir).iterdir() if not (p / "build.json").exists() and p.name != keep]
    stale += [p for p in finished[:-KEEP_BUILDS] if p.name != keep]
    for path in stale:
        if chroma_host and (path / "build.json").exists():
            client = chroma_client(None, chroma_host, chroma_port)
            client.delete_collection(read_build_info(BuildPaths(path)).collection)
        log.info("oude build verwijderd: %s", path.name)
        shutil.rmtree(path, ignore_errors=True)
