"""``/v1/documents/{doc_id}``: a document to read, one section at a time, a cited passage marked.

Citations point into a document's normalised text by offsets; here a reader opens that document at
the section holding them, sees the passage marked in its section, and can move to other sections.
"""

from __future__ import annotations

from dataclasses import asdict
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AssistantDep
from api.errors import ApiError, ErrorResponse
from api.models import ContactOut, DocumentView, SectionOut, Span

router = APIRouter(prefix="/documents", tags=["bronnen"], responses={404: {"model": ErrorResponse}})


@router.get("/{doc_id}", response_model=DocumentView, responses={422: {"model": ErrorResponse}})
def read_document(
    doc_id: str,
    assistant: AssistantDep,
    start: Annotated[int | None, Query(ge=0, description="Begin van het te markeren stuk.")] = None,
    end: Annotated[int | None, Query(ge=0, description="Einde van het te markeren stuk.")] = None,
    section: Annotated[
        int | None, Query(ge=0, description="Welke sectie (volgnummer); standaard die van 'start'.")
    ] = None,
) -> DocumentView:
    """Het document: gegevens, secties, en de tekst van één sectie met het gemarkeerde stuk."""
    index = assistant.index
    chunks = sorted((c for c in index.chunks.values() if c.doc_id == doc_id), key=lambda c: c.start)
    if not chunks:
        raise ApiError(404, "document_not_found", "Dit document staat niet (meer) in de index.")
    text = index.document_text(doc_id)
    if (start is None) != (end is None) or (
        start is not None and end is not None and not start <= end <= len(text)
    ):
        raise ApiError(422, "invalid_range", "Het te markeren stuk valt buiten de tekst van het document.")
    sections = [
        SectionOut(section=path, start=min(c.start for c in run), end=max(c.end for c in run))
        for path, run in ((path, list(run)) for path, run in groupby(chunks, key=lambda c: c.section_path))
    ]
    if section is not None and section >= len(sections):
        raise ApiError(422, "invalid_section", f"Dit document heeft {len(sections)} secties.")
    shown = (
        sections[section]
        if section is not None
        else next((s for s in sections if start is not None and s.start <= start < s.end), sections[0])
    )
    marked = None
    if start is not None and end is not None and shown.start <= start and end <= shown.end:
        marked = Span(start=start - shown.start, end=end - shown.start)
    facts = next((d for d in index.info.documents if d["id"] == doc_id), {})
    first = chunks[0]
    return DocumentView(
        id=doc_id,
        title=first.title,
        kind=first.kind,
        url=first.url,
        year=facts.get("year"),
        authors=list(facts.get("authors") or []),
        published=facts.get("published"),
        modified=facts.get("modified"),
        contacts=[ContactOut(**asdict(c)) for c in assistant.page_facts.contacts(doc_id)],
        sections=sections,
        section=shown,
        text=text[shown.start : shown.end],
        highlight=marked,
    )
