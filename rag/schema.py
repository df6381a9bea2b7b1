"""Frozen records passed between the stages of ingest and answering."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

DocKind = Literal["werkplan", "kennisgids", "dossier", "artikel", "publicatie"]
BlockKind = Literal["heading", "paragraph", "list", "table"]

SECTION_SEP = " › "
BUDGET_TABLE = "Begroting: wat kost het, budget, kosten, uurtarieven, uren en bedragen van"


@dataclass(frozen=True)
class Contact:
    """Someone a page names to contact about it ("Neem contact op met …"), as its contact block
    gives them: a name, and what it says of their function, e-mail address and phone number."""

    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    """One entry of the corpus manifest."""

    id: str
    title: str
    kind: DocKind
    publisher: str
    year: int | None
    origin: str  # URL, or a path relative to the corpus dir
    provenance: str = ""
    path: str | None = None  # file under the corpus dir, when the document is stored there
    authors: tuple[str, ...] = ()  # as the page declares them (JSON-LD, <meta name="author">)
    published: str | None = None  # ISO date the page declares it was published
    modified: str | None = None  # ISO date of its last update, when it says one
    contacts: tuple[Contact, ...] = ()  # whom the page names to contact about it (its contact block)


@dataclass(frozen=True)
class Block:
    """A structural unit of a parsed document: a paragraph, a list item, a table or a heading.

    ``start``/``end`` are character offsets into ``ParsedDocument.text``; ``confidence`` says how
    sure the parser is of the section attribution (two-column pages interleave paragraphs).
    """

    section: tuple[str, ...]
    start: int
    end: int
    kind: BlockKind = "paragraph"
    project: int | None = None
    onderdeel: str | None = None
    theme: int | None = None
    confidence: float = 1.0
    page: int | None = None


@dataclass(frozen=True)
class ParsedDocument:
    """A document's normalised text with its recovered structure."""

    info: DocumentInfo
    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage with everything needed to cite it."""

    doc_id: str
    title: str
    kind: str
    url: str
    section: tuple[str, ...]
    text: str
    start: int
    end: int
    project: int | None = None
    onderdeel: str | None = None
    theme: int | None = None
    confidence: float = 1.0
    page: int | None = None
    tabular: bool = False  # a table's rows: its words are names and numbers, not what it is about
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            digest = hashlib.sha256(
                "\x1f".join([self.doc_id, SECTION_SEP.join(self.section), self.text]).encode()
            ).hexdigest()
            object.__setattr__(self, "id", f"{self.doc_id}:{digest[:16]}")

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)

    @property
    def embed_text(self) -> str:
        """What the embedder sees: the section title first, so a passage carries its context."""
        return f"{self.section_path}\n{self.text}" if self.section else self.text

    @property
    def budget_table(self) -> bool:
        """Rows of a budget table: answered through the budget records, never quoted as prose."""
        return self.tabular and "begroting" in self.section_path.lower()

    @property
    def lexical_text(self) -> str:
        """What BM25 sees: the embedded text, and for a budget table the words people ask it with
        ("kost", "budget"), which its rows of names and numbers do not hold. Only for BM25: it moved
        the dense ranking of other questions towards the tables."""
        if self.budget_table:
            of = self.section[-2] if len(self.section) > 1 else self.title
            return f"{BUDGET_TABLE} {of}.\n{self.embed_text}"
        return self.embed_text

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.embed_text.encode()).hexdigest()


@dataclass(frozen=True)
class BudgetRow:
    """One line of a budget table.

    ``scope_kind``/``scope``: ("onderdeel", "A"), ("project", "3"), ("programma", "totaal") for the
    overall breakdown, ("overzicht", "A") for a row of the total overview, ("aanvulling", "<text>")
    for an additional amount. ``row_kind``: "line" (rate × hours), "stafkosten", "overhead",
    "subtotal" (an organisation's total), "external" (externe projectkosten / inhuur), "total".
    """

    scope_kind: str
    scope: str
    organisation: str | None
    role: str | None
    rate: int | None
    hours: int | None
    amount: int | None
    row_kind: str
    line: int  # 1-based line number in the source text file
    source: str  # the row as printed, whitespace collapsed


@dataclass(frozen=True)
class AuditFinding:
    """An arithmetic inconsistency in the budget tables, with where it sits."""

    scope_kind: str
    scope: str
    line: int
    message: str  # Dutch, shown to users
    expected: int | None = None
    found: int | None = None


ReplyStatus = Literal["answered", "clarify", "not_found"]
Language = Literal["nl", "en"]


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: ``snippet`` is the exact supporting text inside the chunk,
    ``start``/``end`` its character offsets in the document's normalised text; ``kind`` and
    ``year`` say what the document is and how old."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    url: str
    snippet: str
    start: int
    end: int
    kind: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Option:
    """A labelled choice of a clarifying question; ``value`` is what is sent back when it is chosen."""

    label: str
    value: str


@dataclass(frozen=True)
class Clarification:
    question: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Retrieved:
    """A ranked passage as retrieval saw it, for evaluators and the UI."""

    rank: int
    chunk_id: str
    doc_id: str
    section: str
    text: str
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass(frozen=True)
class Pointer:
    """A place the sources do cover near an unanswered question: its label and a passage there."""

    label: str
    chunk_id: str


@dataclass(frozen=True)
class Reply:
    """What every caller of ``answer()`` sees: CLI, API and evaluation harness alike."""

    status: ReplyStatus
    answer: str
    citations: tuple[Citation, ...] = ()
    clarification: Clarification | None = None
    follow_ups: tuple[str, ...] = ()
    feedback: str | None = None
    retrieved: tuple[Retrieved, ...] = ()
    language: Language = "nl"
    timings: dict[str, float] = field(default_factory=dict)
    pointers: tuple[Pointer, ...] = ()  # of a "not found" reply: where to read on
    conversation_id: str | None = None
    message_id: str | None = None  # the stored turn, for feedback
