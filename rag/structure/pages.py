"""Knowledge pages a question names by their whole title ("volgens het dossier Antisemitisme en
moslimhaat"): the page it is about, for retrieval now and for the follow-ups after it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.schema import Chunk

MIN_TITLE_WORDS = 2  # a one-word title ("Polarisatie") is a topic any question may name
_WORD = re.compile(r"\w+")
_SUBTITLE = re.compile(r"(?<=[?:])\s+")


class PageTitles:
    def __init__(self, titles: Iterable[str]) -> None:
        # a title by its words, and by its main title when a subtitle follows ("Wat werkt tegen
        # discriminatie? Werkzame elementen …" is named as "Wat werkt tegen discriminatie?")
        named = [
            (title, tuple(_WORD.findall(part.lower()))) for title in titles for part in title_forms(title)
        ]
        # the longest first: "Samenleven met nieuwkomers in de buurt" before a shorter title inside it
        self._titles = sorted(
            ((t, w) for t, w in dict.fromkeys(named) if len(w) >= MIN_TITLE_WORDS), key=lambda tw: -len(tw[1])
        )
        self.titles = list(dict.fromkeys(title for title, _ in self._titles))  # each once, as given

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> PageTitles:
        return cls({c.title for c in chunks if c.kind != "werkplan" and c.title})

    def named(self, question: str) -> str | None:
        """The title of the page the question names word for word, in any case."""
        return next(iter(self.all_named(question)), None)

    def all_named(self, question: str) -> list[str]:
        """Every page title the question names word for word, longest first, none inside another."""
        asked = f" {' '.join(_WORD.findall(question.lower()))} "
        found: list[str] = []
        for title, words in self._titles:
            phrase = f" {' '.join(words)} "
            if phrase in asked and title not in found:
                found.append(title)
                asked = asked.replace(phrase, " | ")
        return found


def says_title(question: str, title: str) -> bool:
    """The question holds the title word for word, in any case, and it has words enough to name
    one thing."""
    words = _WORD.findall(title.lower())
    asked = f" {' '.join(_WORD.findall(question.lower()))} "
    return len(words) >= MIN_TITLE_WORDS and f" {' '.join(words)} " in asked


def title_forms(title: str) -> list[str]:
    """The whole title, and its main title before a subtitle (after "?" or ":")."""
    main = _SUBTITLE.split(title, maxsplit=1)[0]
    return [title, main] if main != title else [title]
