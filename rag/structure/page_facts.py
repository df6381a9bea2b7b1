"""Who wrote a page and when it appeared or was updated: facts a page declares about itself.

The crawler keeps each page's declared authors and dates (``DocumentInfo``). A question that asks
for one of them ("Wie schreef …?", "Wanneer is … bijgewerkt?") is answered from those fields, and
the answer quotes the line of the page that shows them ("Door Sanne Visser", "Gepubliceerd op 6
maart 2018"), so a reader can check it. A fact the page's text does not show is not stated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rag.language.vocabulary import MONTHS, PAGE_FACTS, PAGE_KINDS, PAGE_ORDER
from rag.schema import Chunk

Fact = Literal["authors", "published", "modified"]
Order = Literal["oldest", "newest", "older", "newer"]
FACTS: tuple[Fact, ...] = ("authors", "published", "modified")


@dataclass(frozen=True)
class Shown:
    """A fact of a page and where its text shows it: ``chunk.text[start:end]`` is that line."""

    fact: Fact
    value: str  # the names joined, or the ISO date
    chunk: Chunk
    start: int
    end: int


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
        named = [fact for fact in FACTS if PAGE_FACTS[fact].search(question) and (fact == "authors" or when)]
        if named == ["authors"] and when:
            named.append("published")
        return tuple(named)

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

    def shown(self, doc_id: str, facts: Sequence[Fact]) -> list[Shown]:
        """Each asked fact the page declares, with the line of its text that shows it."""
        out: list[Shown] = []
        for fact in facts:
            value = self._value(doc_id, fact)
            if value and (found := self._line(doc_id, _forms(fact, value))) is not None:
                out.append(Shown(fact, value, *found))
        return out

    def _value(self, doc_id: str, fact: Fact) -> str:
        value = self._meta.get(doc_id, {}).get(fact)
        if fact == "authors":
            return " en ".join(value or ())
        return str(value or "")

    def _line(self, doc_id: str, forms: Sequence[str]) -> tuple[Chunk, int, int] | None:
        """The first line of the page that holds one of ``forms``, in any case."""
        for form in forms:
            for chunk in self._chunks.get(doc_id, ()):
                at = chunk.text.casefold().find(form.casefold())
                if at >= 0:
                    start = chunk.text.rfind("\n", 0, at) + 1
                    end = chunk.text.find("\n", at)
                    return chunk, start, end if end >= 0 else len(chunk.text)
        return None


def _forms(fact: Fact, value: str) -> list[str]:
    """How the page's text writes the value: a name whole; a date as "6 maart 2018"."""
    if fact == "authors":
        return [value, value.split(" en ")[0]]
    return [long_date(value, "nl")]


def long_date(iso: str, language: Literal["nl", "en"]) -> str:
    """'2018-03-06' → '6 maart 2018' (or '6 March 2018')."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTHS[language][month - 1]} {year}"
