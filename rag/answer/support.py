"""Whether an answer holds the particular things its question names.

A question can share nearly every word with a passage and still ask what it does not say:
"Hoeveel dialoogtafels zijn er in Zwolle gehouden?" of a page about dialogue tables in twelve
unnamed municipalities. Names and years make a question particular; an answer whose passages,
headings and document titles do not hold them answers a different question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from wordfreq import zipf_frequency

from rag.language.numbers import YEAR
from rag.language.vocabulary import GENERAL_NAMES, QUESTION_OPENERS, dutch_terms

_WORD = re.compile(r"[\w’'-]+")
_SENTENCE_BREAK = re.compile(r"[.!?:;]\s*$")


def particulars(question: str, language: Literal["nl", "en"]) -> list[str]:
    """The names (capitalised words that do not open a sentence) and years the question holds.
    In English, a capitalised word more common in English than in Dutch ("Muslim", "Dutch") is a
    word of the language, not a name; an acronym is a name in either language."""
    found: list[str] = []
    for match in _WORD.finditer(question):
        opens = not question[: match.start()].strip() or _SENTENCE_BREAK.search(question[: match.start()])
        # of a compound, its capitalised parts: "KIS-nieuwsbrief" names KIS, "COA-locaties" COA
        for word in match.group(0).strip("’'-").split("-"):
            if YEAR.fullmatch(word) or (word[:1].isupper() and not opens and _names(word, language)):
                found.append(word)
    return list(dict.fromkeys(found))


def _names(word: str, language: Literal["nl", "en"]) -> bool:
    """A capitalised word that names something particular; an acronym ("LGBTIQ") always does."""
    lower = word.lower()
    if lower in GENERAL_NAMES or lower in QUESTION_OPENERS:
        return False
    english = language == "en" and not word.isupper()
    return not english or zipf_frequency(lower, "en") < zipf_frequency(lower, "nl")


def unsupported(
    question: str, language: Literal["nl", "en"], answer: Iterable[str], passages: Iterable[str]
) -> list[str]:
    """The question's particulars its answer does not hold. A name must be in the ``answer``
    (its sentences, their headings and document titles); an acronym or a year sets the topic of
    a whole passage ("het ministerie van SZW", "in 2024"), so its ``passages`` may hold it. Any
    case counts, and an English term also in its Dutch word."""
    near = " ".join(answer).lower()
    wide = f"{near} {' '.join(passages).lower()}"
    return [
        term
        for term in particulars(question, language)
        if not _held(term, wide if term.isupper() or term.isdigit() else near, language)
    ]


def _held(term: str, text: str, language: Literal["nl", "en"]) -> bool:
    dutch = dutch_terms(term) if language == "en" else ""
    return term.lower() in text or (bool(dutch) and dutch.lower() in text)
