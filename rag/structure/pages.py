"""Knowledge pages a question names by their whole title ("volgens het dossier Antisemitisme en
moslimhaat"): the page it is about, for retrieval now and for the follow-ups after it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.schema import Chunk

MIN_TITLE_WORDS = 2  # a one-word title ("Polarisatie") is a topic any question may name
_WORD = re.compile(r"\w+")


class PageTitles:
    def __init__(self, titles: Iterable[str]) -> None:
        words = {title: tuple(_WORD.findall(title.lower())) for title in titles}
        # the longest first: "Samenleven met nieuwkomers in de buurt" before a shorter title inside it
        self._titles = sorted(
            ((t, w) for t, w in words.items() if len(w) >= MIN_TITLE_WORDS), key=lambda tw: -len(tw[1])
        )

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> PageTitles:
        return cls({c.title for c in chunks if c.kind != "werkplan" and c.title})

    def named(self, question: str) -> str | None:
        """The title of the page the question names word for word, in any case."""
        asked = f" {' '.join(_WORD.findall(question.lower()))} "
        return next((title for title, words in self._titles if f" {' '.join(words)} " in asked), None)
