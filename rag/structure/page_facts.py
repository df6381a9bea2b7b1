"""Who wrote a page, when it appeared or was updated, whom to contact about it: facts a page
declares about itself.

The crawler keeps each page's declared authors, dates and contact people (``DocumentInfo``). A
question that asks for one of them ("Wie schreef …?", "Wanneer is … bijgewerkt?", "Bij wie kan ik
terecht over …?") is answered from those fields, and the answer quotes the line of the page that
shows them ("Door Sanne Visser", "Gepubliceerd op 6 maart 2018", the contact block's "Neem contact
op met …"), so a reader can check it. A fact the page's text does not show is not stated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rag.language.vocabulary import MONTHS, PAGE_FACTS, PAGE_KINDS, PAGE_ORDER
from rag.schema import Chunk, Contact

Fact = Literal["authors", "published", "modified", "contacts"]
Order = Literal["oldest", "newest", "older", "newer"]
FACTS: tuple[Fact, ...] = ("authors", "published", "modified", "contacts")
_WHO: tuple[Fact, ...] = ("authors", "contacts")  # asked without a "when"


@dataclass(frozen=True)
class Shown:
    """A fact of a page and where its text shows it: ``chunk.text[start:end]`` is that line."""

    fact: Fact
    value: str  # the names joined, or the ISO date
    chunk: Chunk
    start: int
    end: int
    contacts: tuple[Contact, ...] = ()  # of a contacts fact: the people that line shows


class PageFacts:
    def __init__(self, documents: Iterable[Mapping[str, Any]], chunks: Iterable[Chunk]) -> None:
        self._meta = {str(d["id"]): d for d in documents}
        self._chunks: dict[str, list[Chunk]] = {}
        self._titled: dict[str, list[str]] = {}  # a title → the documents that bear it
        for chunk in sorted(chunks, key=lambda c: c.start):
            if chunk.doc_id not in self._chunks:
                self._titled.setdefault(chunk.title, []).append(chunk.doc_id)
            self._chunks.setdefault(chunk.doc_id, []).append(chunk)

    def titled(self, titles: Iterable[str]) -> list[str]:
        """The documents bearing these titles, in the titles' order."""
        return [doc for title in titles for doc in self._titled.get(title, ())]

    def chunks(self, doc_id: str) -> Sequence[Chunk]:
        """A document's passages in document order."""
        return self._chunks.get(doc_id, ())

    @staticmethod
    def asked(question: str) -> tuple[Fact, ...]:
        """The facts of a page the question asks for; a date only when it asks when ("Wie schreef
        … en wanneer?" asks when it appeared)."""
        when = bool(PAGE_FACTS["when"].search(question))
        named = [fact for fact in FACTS if PAGE_FACTS[fact].search(question) and (fact in _WHO or when)]
        if "authors" in named and when and not {"published", "modified"} & set(named):
            named.insert(1, "published")
        return tuple(named)

    @staticmethod
    def subject(question: str) -> str:
        """The question without what it asks of a page ("Bij wie kan ik terecht met vragen over
        polarisatie?" → "… over polarisatie?"): what names the page."""
        for words in (
            *(PAGE_FACTS[fact] for fact in FACTS),
            PAGE_FACTS["when"],
            PAGE_FACTS["contact_details"],
        ):
            question = words.sub(" ", question)
        return question

    @staticmethod
    def without_kinds(question: str) -> str:
        """The question without the words that name a kind of page ("het artikel", "dat bericht")."""
        for words in PAGE_KINDS.values():
            question = words.sub(" ", question)
        return question

    @staticmethod
    def order_asked(question: str) -> Order | None:
        """'oldest' or 'newest' of a kind ("de oudste publicatie"), 'older' or 'newer' of two."""
        orders: tuple[Order, ...] = ("oldest", "newest", "older", "newer")
        return next((order for order in orders if PAGE_ORDER[order].search(question)), None)

    @staticmethod
    def kind_asked(question: str) -> str | None:
        return next((kind for kind, words in PAGE_KINDS.items() if words.search(question)), None)

    def dated(self, kind: str) -> list[Shown]:
        """Each page of that kind with the line showing its publication date, oldest first."""
        found = [
            shown[0]
            for doc_id, meta in self._meta.items()
            if meta.get("kind") == kind and (shown := self.shown(doc_id, ("published",)))
        ]
        return sorted(found, key=lambda s: s.value)

    def has(self, doc_id: str, facts: Sequence[Fact]) -> bool:
        return any(self._value(doc_id, fact) for fact in facts)

    def contacts(self, doc_id: str) -> tuple[Contact, ...]:
        """The people the page names to contact about it (as its build.json records them)."""
        return tuple(Contact(**c) for c in self._meta.get(doc_id, {}).get("contacts") or ())

    def shown(self, doc_id: str, facts: Sequence[Fact]) -> list[Shown]:
        """Each asked fact the page declares, with the line of its text that shows it."""
        out: list[Shown] = []
        for fact in facts:
            value = self._value(doc_id, fact)
            if fact == "contacts":
                out += self._contacts_shown(doc_id)
            elif value and (found := self._line(doc_id, _forms(fact, value))) is not None:
                out.append(Shown(fact, value, *found))
        return out

    def _value(self, doc_id: str, fact: Fact) -> str:
        value = self._meta.get(doc_id, {}).get(fact)
        if fact == "authors":
            return " en ".join(value or ())
        if fact == "contacts":
            return " en ".join(c.name for c in self.contacts(doc_id))
        return str(value or "")

    def _contacts_shown(self, doc_id: str) -> list[Shown]:
        """The contact people the page's text shows, those of one passage together: from the line
        of the first name to the line of the last address or number."""
        spans: dict[str, tuple[Chunk, int, int, list[Contact]]] = {}
        for contact in self.contacts(doc_id):
            if (found := self._contact_lines(doc_id, contact)) is None:
                continue
            chunk, start, end = found
            _, first, last, people = spans.get(chunk.id, (chunk, start, end, []))
            spans[chunk.id] = (chunk, min(first, start), max(last, end), [*people, contact])
        return [
            Shown("contacts", " en ".join(c.name for c in people), chunk, start, end, tuple(people))
            for chunk, start, end, people in spans.values()
        ]

    def _contact_lines(self, doc_id: str, contact: Contact) -> tuple[Chunk, int, int] | None:
        """Where the page shows the contact: their name with their address or number after it in
        one block (the contact block; a byline holds the name alone), else the name's last mention."""
        name = contact.name.casefold()
        details = [d.casefold() for d in (contact.email, contact.phone) if d]
        last: tuple[Chunk, int, int] | None = None
        for chunk in self._chunks.get(doc_id, ()):
            text = chunk.text.casefold()
            at = text.find(name)
            while at >= 0:
                block = text[at : text.find("\n\n", at) if "\n\n" in text[at:] else len(text)]
                ends = [block.find(d) + len(d) for d in details if d in block]
                if ends:
                    return _whole_lines(chunk, at, at + max(ends))
                last = (chunk, at, at)
                at = text.find(name, at + 1)
        return _whole_lines(*last) if last else None

    def _line(self, doc_id: str, forms: Sequence[str]) -> tuple[Chunk, int, int] | None:
        """The first line of the page that holds one of ``forms``, in any case."""
        for form in forms:
            for chunk in self._chunks.get(doc_id, ()):
                at = chunk.text.casefold().find(form.casefold())
                if at >= 0:
                    return _whole_lines(chunk, at, at)
        return None


def _whole_lines(chunk: Chunk, start: int, end: int) -> tuple[Chunk, int, int]:
    """The lines of ``chunk.text`` from the one holding ``start`` to the one holding ``end``."""
    first = chunk.text.rfind("\n", 0, start) + 1
    last = chunk.text.find("\n", end)
    return chunk, first, last if last >= 0 else len(chunk.text)


def _forms(fact: Fact, value: str) -> list[str]:
    """How the page's text writes the value: a name whole; a date as "6 maart 2018"."""
    if fact == "authors":
        return [value, value.split(" en ")[0]]
    return [long_date(value, "nl")]


def long_date(iso: str, language: Literal["nl", "en"]) -> str:
    """'2018-03-06' → '6 maart 2018' (or '6 March 2018')."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTHS[language][month - 1]} {year}"
