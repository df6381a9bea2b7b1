"""``/v1/search``: retrieval only, the ranked passages with their metadata, no answer."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from api.deps import AssistantDep, ConfigDep, StateDep
from api.errors import ErrorResponse
from api.metrics import RETRIEVAL_SECONDS
from api.models import SearchHit, SearchResponse
from rag.answer.assistant import Assistant
from rag.answer.question import MAX_QUESTION_CHARS, check_question
from rag.retrieval.retriever import Filters

router = APIRouter(tags=["zoeken"], responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}})


def _search(assistant: Assistant, query: str, k: int, filters: Filters) -> list[SearchHit]:
    started = time.perf_counter()
    hits = assistant.retriever.search(query, k, filters=filters)
    RETRIEVAL_SECONDS.observe(time.perf_counter() - started)
    return [
        SearchHit(
            rank=rank,
            chunk_id=h.chunk.id,
            doc_id=h.chunk.doc_id,
            title=h.chunk.title,
            kind=h.chunk.kind,
            url=h.chunk.url,
            section=h.chunk.section_path,
            text=h.chunk.text,
            start=h.chunk.start,
            end=h.chunk.end,
            project=h.chunk.project,
            onderdeel=h.chunk.onderdeel,
            page=h.chunk.page,
            score=h.score,
            similarity=h.similarity,
            dense_rank=h.dense_rank,
            bm25_rank=h.bm25_rank,
        )
        for rank, h in enumerate(hits, start=1)
    ]


@router.get("/search", response_model=SearchResponse)
async def search(
    assistant: AssistantDep,
    config: ConfigDep,
    state: StateDep,
    q: Annotated[
        str,
        Query(
            description=f"De zoekvraag (maximaal {MAX_QUESTION_CHARS} tekens).",
            json_schema_extra={"maxLength": MAX_QUESTION_CHARS},
        ),
    ],
    k: Annotated[int | None, Query(ge=1, le=50, description="Aantal passages.")] = None,
    kind: Annotated[str | None, Query(max_length=32, description="Soort document, bv. 'werkplan'.")] = None,
    project: Annotated[int | None, Query(ge=1, le=99)] = None,
    onderdeel: Annotated[str | None, Query(pattern="^[A-Ea-e]$")] = None,
    doc_id: Annotated[str | None, Query(max_length=200)] = None,
) -> SearchResponse:
    """Zoek passages (dense + BM25), eventueel gefilterd op soort, project, onderdeel of document."""
    query = check_question(q)
    filters = Filters(
        project=project, kind=kind, onderdeel=onderdeel.upper() if onderdeel else None, doc_id=doc_id
    )
    async with state.answer_limiter:
        hits = await run_in_threadpool(_search, assistant, query, k or config.retrieval_k, filters)
    return SearchResponse(query=query, hits=hits)
