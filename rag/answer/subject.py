"""What a question is about, in its own rarest words, for the follow-up that points back to it.

"Hoe vaak komt de werkgroep bijeen?" is about "werkgroep"; "En wie zitten erin?" says nothing of
its own, and is answered as "wie zitten erin (werkgroep)". The words are the question's content
words that the sources use in few passages and everyday Dutch seldom (a topic, not "vaak" or
"elkaar"), the rarest two, kept in the conversation's state so that a chain of follow-ups stays
on them.
"""

from __future__ import annotations

import re
from typing import Literal

from wordfreq import zipf_frequency

from rag.answer.compose import COMMON_SHARE, Scorer
from rag.answer.question import QUESTION_STEMS
from rag.language.vocabulary import COMMON_ZIPF, to_dutch_terms
from rag.store.bm25 import tokenize

SUBJECT_WORDS = 2
_WORD = re.compile(r"[\w’'-]+")
_PREPOSITION = r"(?:aan|af|bij|door|in|mee|naar|om|onder|op|over|tegen|toe|tussen|uit|van|voor)"
_SPLIT_FORM = {"mee": "met", "toe": "tot"}  # "ermee" is "met …", "ertoe" is "tot …"
# What points back in place of a noun: a pronominal adverb ("erin" → "in …"), a demonstrative
# with no noun after it ("hoe vaak komt die bij elkaar", "wie financiert dat?"), "het" at the end
# or before a particle ("wat kost het?", "wie voert het uit?") and English pronouns.
_POINTER = re.compile(
    rf"\b(?:er|daar|hier)(?P<prep>{_PREPOSITION})\b"
    rf"|\b(?:die|dat|dit|deze)\b(?=\s*(?:[?.!]*$|{_PREPOSITION}\b))"
    rf"|\bhet\b(?=\s*(?:{_PREPOSITION}\s*)?[?.!]*$)"
    r"|\b(?:it|they|them)\b",
    re.I,
)


def subject_of(question: str, scorer: Scorer, language: Literal["nl", "en"]) -> str:
    """The question's rarest content words (Dutch terms for an English question), in its order."""
    text = to_dutch_terms(question) if language == "en" else question
    common = scorer.idf_at_share(COMMON_SHARE)
    ranked: dict[str, float] = {}
    for word in _WORD.findall(text):
        stems = tokenize([word])[0]
        if len(stems) != 1 or (stem := stems[0]) in QUESTION_STEMS or stem.isdigit():
            continue
        everyday = zipf_frequency(word.lower(), "nl")
        if scorer.known(stem) and scorer.idf(stem) > common and everyday < COMMON_ZIPF:
            ranked.setdefault(word, everyday)
    kept = sorted(ranked, key=ranked.__getitem__)[:SUBJECT_WORDS]
    return " ".join(w for w in ranked if w in kept)


def with_subject(question: str, subject: str) -> str:
    """A follow-up read with the subject it points back to in place of the word that points:
    "wie zitten erin?" → "wie zitten in werkgroep?". One that names its own ("en wanneer is de
    tweede verkenning?") stays as it is."""
    if not subject or (found := _POINTER.search(question)) is None:
        return question
    preposition = _SPLIT_FORM.get(found.group("prep") or "", found.group("prep"))
    said = f"{preposition} {subject}" if preposition else subject
    return f"{question[: found.start()]}{said}{question[found.end() :]}"
