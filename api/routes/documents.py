"""``/v1/documents``: the corpus manifest, each document with its state in the loaded index, and each
configured web source with its last crawl."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.crawl_record import site_overview
from api.deps import ConfigDep, StateDep
from api.errors import ErrorResponse
from api.models import BuildOut, DocumentOut, DocumentsResponse
from ingest.crawl.crawler import STATE_NAME, finished_runs
from ingest.manifest import load_manifest

router = APIRouter(tags=["bronnen"], responses={503: {"model": ErrorResponse}})


def _document(entry: dict[str, Any], chunks: int, status: str) -> DocumentOut:
    return DocumentOut.model_validate({**entry, "chunks": chunks, "status": status})


@router.get("/documents", response_model=DocumentsResponse)
def documents(config: ConfigDep, state: StateDep) -> DocumentsResponse:
    """Alle documenten uit het manifest, met het aantal passages in de geladen index, en per
    geconfigureerde website de laatste crawl, het aantal pagina's in de index en hun data."""
    build = None
    indexed: dict[str, dict[str, Any]] = {}
    if state.holder.build_id is not None:
        info = state.holder.assistant.index.info
        build = BuildOut(id=info.id, created=info.created, embedder=info.embedder, chunks=info.chunks)
        indexed = {d["id"]: d for d in info.documents}
    listed = []
    for doc in load_manifest(config.corpus_dir):
        chunks = int(indexed.pop(doc.id, {}).get("chunks", 0))
        entry = {
            "id": doc.id,
            "title": doc.title,
            "kind": doc.kind,
            "publisher": doc.publisher,
            "year": doc.year,
            "origin": doc.origin,
        }
        listed.append(_document(entry, chunks, "geïndexeerd" if chunks else "niet geïndexeerd"))
    crawled = list(indexed.values())
    listed += [_document(entry, int(entry.get("chunks", 0)), "gecrawld") for entry in crawled]
    runs = finished_runs(config.ingest.crawl_dir / STATE_NAME)
    sites = site_overview(state.parts.crawl_sources(), runs, crawled)
    return DocumentsResponse(build=build, documents=listed, sources=sites)
