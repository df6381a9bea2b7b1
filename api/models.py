"""Request and response bodies of the API, as OpenAPI documents them.

The reply records of ``rag.schema`` are frozen dataclasses that pydantic serialises as they are,
so the answer contract is defined once and not copied here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.db import as_utc
from ingest.crawl.crawler import CrawlSummary
from ingest.crawl.state import RunCounts
from rag.answer.question import MAX_QUESTION_CHARS
from rag.schema import AuditFinding, BudgetRow, Citation, Clarification, Pointer, Retrieved

# Every timestamp leaves the API with its zone, whichever database it came from.
UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]


class Strict(BaseModel):
    """Unknown fields are an error: a misspelt field should not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ChatRequest(Strict):
    question: str = Field(
        description=f"De vraag (maximaal {MAX_QUESTION_CHARS} tekens, geen stuurtekens); mag leeg zijn als "
        "'option' is gekozen.",
        # documented here, checked by check_question, which says in Dutch what is wrong
        json_schema_extra={"maxLength": MAX_QUESTION_CHARS},
    )
    conversation_id: str | None = Field(None, max_length=64, description="Een bestaand gesprek voortzetten.")
    option: str | None = Field(
        None,
        max_length=500,
        description="De 'value' van een gekozen optie uit de openstaande verduidelijkingsvraag.",
    )


class ChatResponse(BaseModel):
    status: Literal["answered", "clarify", "not_found"]
    answer: str
    citations: list[Citation]
    clarification: Clarification | None
    follow_ups: list[str]
    feedback: str | None
    retrieved: list[Retrieved]
    language: Literal["nl", "en"]
    timings: dict[str, float]
    conversation_id: str
    message_id: str = Field(description="Id van deze beurt; gebruik het voor feedback.")
    pointers: list[Pointer] = Field(
        default_factory=list, description="Bij 'not_found': waar de bronnen wel iets over zeggen."
    )


class TurnOut(BaseModel):
    id: str
    position: int
    question: str
    reply: dict[str, Any]
    created: UtcDatetime


class ConversationOut(BaseModel):
    id: str
    created: UtcDatetime
    updated: UtcDatetime
    expires: UtcDatetime
    turns: list[TurnOut]


class FeedbackRequest(Strict):
    message_id: str = Field(max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=2000)


class FeedbackOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    message_id: str
    conversation_id: str
    rating: str
    comment: str | None
    question: str
    answer: str
    status: str
    created: UtcDatetime


class SearchHit(BaseModel):
    rank: int
    chunk_id: str
    doc_id: str
    title: str
    kind: str
    url: str
    section: str
    text: str
    start: int
    end: int
    project: int | None
    onderdeel: str | None
    page: int | None
    score: float
    similarity: float | None
    dense_rank: int | None
    bm25_rank: int | None


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]


class Span(BaseModel):
    start: int
    end: int


class ContactOut(BaseModel):
    """Someone the page names to contact about it, as its contact block gives them."""

    name: str
    role: str = Field("", description="Functie, zoals de pagina die noemt.")
    email: str = ""
    phone: str = ""


class SourceOut(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    kind: str
    url: str
    section: str
    text: str
    start: int = Field(description="Begin van de passage in de documenttekst.")
    end: int
    context: str = Field(description="De passage met de tekst eromheen.")
    context_start: int = Field(description="Waar 'context' begint in de documenttekst.")
    highlight: Span = Field(description="Wat te markeren, als offsets binnen 'context'.")
    contacts: list[ContactOut] = Field(
        default_factory=list, description="Wie de pagina noemt als contactpersoon voor vragen erover."
    )


class DocumentOut(BaseModel):
    id: str
    title: str
    kind: str
    publisher: str
    year: int | None
    origin: str
    chunks: int
    status: Literal["geïndexeerd", "niet geïndexeerd", "gecrawld"]
    authors: list[str] = Field(default_factory=list, description="Zoals de pagina ze noemt.")
    published: str | None = Field(None, description="Publicatiedatum (ISO) zoals de pagina die noemt.")
    modified: str | None = Field(
        None, description="Datum van de laatste wijziging (ISO), als de pagina die noemt."
    )


class SectionOut(BaseModel):
    section: str = Field(description="Het kopjespad van de sectie.")
    start: int = Field(description="Begin van de sectie in de documenttekst.")
    end: int


class DocumentView(BaseModel):
    """A document as a reader opens it: its facts, its sections, one section's text, and what to mark."""

    id: str
    title: str
    kind: str
    url: str
    year: int | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    contacts: list[ContactOut] = Field(default_factory=list)
    sections: list[SectionOut]
    section: SectionOut = Field(description="De getoonde sectie.")
    text: str = Field(description="De tekst van de getoonde sectie.")
    highlight: Span | None = Field(None, description="Wat te markeren, als offsets binnen 'text'.")


class BuildOut(BaseModel):
    id: str
    created: str
    embedder: str
    chunks: int


class CrawlFigures(BaseModel):
    """What one crawl did; ``new`` + ``changed`` + ``unchanged`` + ``duplicates`` = ``fetched``."""

    fetched: int = Field(description="Pagina's en PDF's opgehaald.")
    new: int = Field(description="Nieuw: niet eerder bewaard.")
    changed: int = Field(description="Gewijzigd ten opzichte van de vorige crawl.")
    unchanged: int = Field(description="Ongewijzigd.")
    duplicates: int = Field(description="Zelfde inhoud als een andere pagina; één keer bewaard.")
    removed: int = Field(description="Verwijderd: twee keer niet gevonden of niet meer in de sitemap.")
    failed: int = Field(description="Mislukt; wat eerder bewaard was, blijft.")
    skipped: int = Field(description="Overgeslagen: robots.txt, noindex, ander type of te groot.")

    @classmethod
    def of(cls, counts: CrawlSummary | RunCounts) -> CrawlFigures:
        """The crawler counts new pages among the changed ones; here they are apart."""
        return cls(
            fetched=counts.fetched,
            new=counts.new,
            changed=counts.changed - counts.new,
            unchanged=counts.unchanged,
            duplicates=counts.duplicates,
            removed=counts.removed,
            failed=counts.failed,
            skipped=counts.skipped,
        )


class LastCrawlOut(BaseModel):
    run: int = Field(description="Volgnummer van de crawl.")
    started: UtcDatetime
    finished: UtcDatetime
    figures: CrawlFigures


class DateRange(BaseModel):
    first: str = Field(description="Vroegste datum (ISO).")
    last: str = Field(description="Laatste datum (ISO).")


class SiteOut(BaseModel):
    """A configured web source: its last crawl and what the loaded index holds of it."""

    name: str
    hosts: list[str] = Field(description="De hosts die de crawler van deze bron bezoekt.")
    last_crawl: LastCrawlOut | None = Field(
        description="De laatste voltooide crawl; leeg als er nog geen was."
    )
    pages: int = Field(description="Pagina's en PDF's van deze bron in de geladen index.")
    published: DateRange | None = Field(description="Publicatiedata van die pagina's, als ze die noemen.")
    modified: DateRange | None = Field(description="Data van hun laatste wijziging, als ze die noemen.")


class DocumentsResponse(BaseModel):
    build: BuildOut | None
    documents: list[DocumentOut]
    sources: list[SiteOut] = Field(description="De geconfigureerde websites (corpus/sources.toml).")


class BudgetResponse(BaseModel):
    rows: list[BudgetRow]
    totals: list[BudgetRow]
    findings: list[AuditFinding]


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: Literal["ingest", "crawl"] = Field(description="Herindexering, of crawl gevolgd door een.")
    state: Literal["queued", "running", "done", "failed"]
    done: int = Field(description="Gedaan: URL's tijdens het crawlen, passages tijdens het indexeren.")
    total: int
    message: str
    build_id: str | None
    crawl: CrawlFigures | None = Field(None, description="Wat de crawl deed, zodra die klaar is.")
    created: UtcDatetime
    updated: UtcDatetime


class Health(BaseModel):
    status: str
    build: str | None = None
