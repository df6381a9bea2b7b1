"""Whether the retrieved passages answer the question at all: no made-up answer ever.

Two signals, calibrated on the project's gold set: how much of the question's vocabulary the best
passages hold (idf-weighted), and the dense similarity of the best passage. A time the passages
never mention ("begroting 2027", "tomorrow"), or a Dutch content word the corpus has in no form
("appeltaart"), is a refusal on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.answer.answer_types import answers, asks_for, asks_which_one
from rag.answer.compose import Scorer
from rag.answer.question import QUESTION_STEMS
from rag.language.numbers import YEAR
from rag.language.vocabulary import CorpusWords
from rag.retrieval.retriever import Hit
from rag.store.bm25 import tokenize

# A day or week relative to today: news, weather, opening hours, never what a work plan holds.
_RELATIVE_DAY = re.compile(
    r"\b(morgen|overmorgen|gisteren|eergisteren|vanavond|(?:volgende|vorige) week|dit weekend|"
    r"tomorrow|yesterday|tonight|(?:next|last) week|this weekend)\b",
    re.I,
)


@dataclass(frozen=True)
class Thresholds:
    min_coverage: float = 0.15  # of the question's content idf, in the best of the top passages
    min_similarity: float = 0.83  # cosine of the best dense hit (multilingual-e5 scores run high)
    min_similarity_en: float = 0.80


class Decider:
    def __init__(
        self, scorer: Scorer, words: CorpusWords | None = None, thresholds: Thresholds = Thresholds()
    ) -> None:
        self.scorer = scorer
        self.words = words
        self.thresholds = thresholds

    def signals(self, question: str, hits: Sequence[Hit]) -> tuple[float, float]:
        """(coverage, similarity): how much of the question the best three passages hold, and the
        cosine of the best dense hit, wherever fusion ranked it (a passage BM25 alone found has
        none, and must not make an answerable question look far from the corpus)."""
        stems = content_stems(question)
        top = hits[:3]
        coverage = max((self.scorer.coverage(stems, h.chunk.embed_text) for h in top), default=0.0)
        similarity = max((h.similarity or 0.0 for h in hits), default=0.0)
        return coverage, similarity

    def never_named(self, question: str, hits: Sequence[Hit], language: str) -> bool:
        """It asks about a time or (in Dutch) a thing the sources never name: a refusal whatever
        else the question says, so it comes before asking back which project is meant."""
        if unknown_time(question, hits):
            return True
        return language == "nl" and self.words is not None and bool(self.words.unknown(question))

    def answerable(self, question: str, hits: Sequence[Hit], language: str) -> bool:
        if self.never_named(question, hits, language):
            return False
        coverage, similarity = self.signals(question, hits)
        if language == "en":
            return similarity >= self.thresholds.min_similarity_en
        return coverage >= self.thresholds.min_coverage and similarity >= self.thresholds.min_similarity


def lacks_asked(question: str, answer: str) -> bool:
    """A "hoeveel" question whose composed answer holds no count (or, asked what it costs, no
    amount of money), a "welke organisatie" question whose answer names none, "wie is de
    projectleider" with no one named beside the role, or "op welke datum" without a day: the
    sources do not say how many ("Hoeveel medewerkers werken er bij KIS?"), which one or who
    ("Welke fotograaf …?") or when exactly, and sentences around the subject are no answer."""
    strict = asks_for(question) in ("amount", "date", "number", "person") or asks_which_one(question)
    return strict and not answers(question, answer)


def unknown_time(question: str, hits: Sequence[Hit]) -> bool:
    """The question asks about a year ("begroting 2027") or a day ("tomorrow") the best passages
    never mention."""
    top = [h.chunk.text for h in hits[:3]]
    years = set(YEAR.findall(question))
    if years and not any(years & set(YEAR.findall(text)) for text in top):
        return True
    days = {m.lower() for m in _RELATIVE_DAY.findall(question)}
    return bool(days) and not any(day in text.lower() for day in days for text in top)


def content_stems(question: str) -> list[str]:
    """The stems that say what is asked about. Numbers are left out: years have their own rule,
    project numbers are the retrieval filter."""
    return [s for s in tokenize([question])[0] if s not in QUESTION_STEMS and not s.isdigit()]
