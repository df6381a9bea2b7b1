"""``/v1/sources/{chunk_id}``: a cited passage in its context, with what to highlight.

The citation's ``start``/``end`` (offsets into the document's normalised text) may be passed to
highlight the exact snippet rather than the whole passage.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AssistantDep
from api.errors import ApiError, ErrorResponse
from api.models import ContactOut, SourceOut, Span

router = APIRouter(prefix="/sources", tags=["bronnen"], responses={404: {"model": ErrorResponse}})


@router.get("/{chunk_id}", response_model=SourceOut)
def get_source(
    chunk_id: str,
    assistant: AssistantDep,
    context_chars: Annotated[int, Query(ge=0, le=5000, description="Tekens context aan weerszijden.")] = 500,
    start: Annotated[int | None, Query(ge=0, description="Begin van het te markeren stuk.")] = None,
    end: Annotated[int | None, Query(ge=0, description="Einde van het te markeren stuk.")] = None,
) -> SourceOut:
    """De passage met de omringende tekst en de te markeren offsets."""
    chunk = assistant.index.chunks.get(chunk_id)
    if chunk is None:
        raise ApiError(404, "source_not_found", "Deze bron staat niet (meer) in de index.")
    text = assistant.index.document_text(chunk.doc_id)
    mark_start, mark_end = (start, end) if start is not None and end is not None else (chunk.start, chunk.end)
    if not 0 <= mark_start <= mark_end <= len(text):
        raise ApiError(422, "invalid_range", "Het te markeren stuk valt buiten de tekst van het document.")
    begin = max(0, min(chunk.start, mark_start) - context_chars)
    finish = min(len(text), max(chunk.end, mark_end) + context_chars)
    return SourceOut(
        chunk_id=chunk.id,
        doc_id=chunk.doc_id,
        title=chunk.title,
        kind=chunk.kind,
        url=chunk.url,
        section=chunk.section_path,
        text=chunk.text,
        start=chunk.start,
        end=chunk.end,
        context=text[begin:finish],
        context_start=begin,
        highlight=Span(start=mark_start - begin, end=mark_end - begin),
        contacts=[ContactOut(**asdict(c)) for c in assistant.page_facts.contacts(chunk.doc_id)],
    )
