"""When to ask back instead of answering, and which labelled options to offer.

Asks only when the question cannot be answered well: it wants something every project has
(a budget, a target group, partners, results) without saying which project, or its words fit
several projects equally well. A clear question is answered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from rag.answer.answer_types import asks_for
from rag.answer.compose import COMMON_SHARE, Scorer
from rag.answer.question import QUESTION_STEMS
from rag.conversation.state import Scope
from rag.language.vocabulary import dutch_terms
from rag.retrieval.retriever import Hit
from rag.schema import Clarification, Option
from rag.store.bm25 import tokenize
from rag.structure.catalogue import Catalogue

_PER_PROJECT = re.compile(
    r"\b(budget\w*|begroting|kost|kosten|geld|bedrag|doelgroep\w*|target groups?|partners?|samenwerkings\w*|"
    r"resultaten|results?|doel|doelen|doelstelling\w*|goals?|aims?|objectives?|aanpak|plan|activiteiten|"
    r"vraagstuk|problem|producten|products?|planning|outputs?)\b",
    re.I,
)
_WIDE_SCOPE = re.compile(
    r"\b(kis|werkplan|work plan|totaal|totale|programma|alle|all|overall|total|elk|each)\b", re.I
)
# A topic several project titles share ("polarisatie") asks which project only when a project is meant.
_PROJECT_WORD = re.compile(r"project", re.I)
# "het project" in a conversation that is about no project yet: it refers to nothing.
_UNRESOLVED = re.compile(r"\b(het|dit|dat|the|this|that) (project|projectplan)\b", re.I)
# "Welke projecten …?", "Which project …?": asking back which project would return the question.
_ASKS_WHICH = re.compile(r"^\s*(?:welk|welke|which|what)\s+(?:project|projects|projecten)\b", re.I)
# "het onderzoek", "de aanbevelingen", "the survey": a definite reference to one particular thing.
_DEFINITE = re.compile(r"\b(?:de|het|die|deze|dat|dit|the|this|that|these|those)\s+(\w+)(?:\s+(\w+))?", re.I)
MAX_OPTIONS = 4
MAX_DOCUMENTS = 6
# Words of a page title that say what kind of page it is, not what it is about.
_KIND_STEMS = frozenset(tokenize(["kennisgids kennisdossier dossier publicatie artikel kis"])[0])
MAX_SPLIT_STEMS = 3  # a question with more content words than this is specific enough to answer
SPLIT_DEPTH = 8


def clarification_for(
    question: str,
    scope: Scope,
    catalogue: Catalogue,
    hits: Sequence[Hit],
    scorer: Scorer,
    language: Literal["nl", "en"],
    dutch_hits: Sequence[Hit] | None = None,
) -> Clarification | None:
    """A clarifying question with options, or None when the question is clear enough.
    ``dutch_hits``: for an English question, the passages its Dutch words find, where the evidence
    is weighed (the English question's own hits follow its meaning, not its words)."""
    if (
        scope.project
        or scope.onderdeel
        or scope.topic
        or catalogue.numbered_projects(question)
        or catalogue.onderdeel(question)
        or catalogue.fully_named(question) is not None  # named by its whole title, as by its number
        or _ASKS_WHICH.search(question)
        or asks_for(question) == "definition"  # what a term is does not differ per project or page
    ):
        return None
    named = catalogue.named_projects(question)
    if len(named) >= 2 and (_PROJECT_WORD.search(question) or _PER_PROJECT.search(question)):
        return _ask(named, catalogue, language, other=False)  # "het discriminatieproject", "de doelgroep"
    if not named and _UNRESOLVED.search(question) and not _names_page(question, hits):
        return _ask(_projects_of(hits), catalogue, language, other=True)
    if named or _WIDE_SCOPE.search(question):
        return None
    if _PER_PROJECT.search(question) and not _content_stems(question):
        return _ask(_projects_of(hits), catalogue, language, other=True)
    # the sources are Dutch: an English question is matched by the glossary's Dutch words only
    dutch = dutch_terms(question) if language == "en" else question
    evidence = dutch_hits if language == "en" and dutch_hits is not None else hits
    split = _split_evidence(dutch, evidence, scorer)
    if len(split) >= 2:
        return _ask(split, catalogue, language, other=False)
    documents = _split_documents(dutch, evidence, scorer)
    if len(documents) >= 2:
        return _ask_document(documents, language)
    return None


def _split_documents(question: str, hits: Sequence[Hit], scorer: Scorer) -> list[tuple[str, str]]:
    """(kind, title) of the knowledge pages among the top hits that each hold all of the question's
    (few) content words, when the work plan does not, the question names none of them and points
    at one particular thing: "Wat zijn de oplossingsrichtingen?" has an answer per knowledge guide,
    and they differ; "Waar kan ik discriminatie online melden?" has one answer, wherever it stands."""
    stems = [s for s in _content_stems(question) if scorer.known(s, compounds=True)]
    if not stems or len(stems) > MAX_SPLIT_STEMS or not _referred_stems(question) & set(stems):
        return []
    full = [h for h in hits[:SPLIT_DEPTH] if scorer.coverage(stems, h.chunk.text) >= 0.99]
    if any(h.chunk.kind == "werkplan" or not h.chunk.title for h in full):
        return []
    documents = list(dict.fromkeys((h.chunk.kind, h.chunk.title) for h in full))
    asked = set(tokenize([question])[0])
    if any(asked & (set(tokenize([title])[0]) - _KIND_STEMS) for _, title in documents):
        return []  # "de oplossingsrichtingen van de kennisgids Racisme": it says which
    return documents


def _names_page(question: str, hits: Sequence[Hit]) -> bool:
    """The question uses every distinctive word of the title of a page among the hits ("het project
    Lokale aanpak racisme"): it says which one it means."""
    asked = set(tokenize([question])[0])
    titles = {h.chunk.title for h in hits if h.chunk.kind != "werkplan" and h.chunk.title}
    own = [set(tokenize([title])[0]) - _KIND_STEMS for title in titles]
    return any(len(words) >= 2 and words <= asked for words in own)


def _referred_stems(question: str) -> set[str]:
    """Stems of the words a definite article points at ("het onderzoek", "de aanbevelingen voor"):
    only a question about one particular thing, not named, asks which page it is on."""
    words = [w for m in _DEFINITE.finditer(question) for w in m.groups() if w]
    return set(tokenize([" ".join(words)])[0]) if words else set()


def _ask_document(documents: list[tuple[str, str]], language: Literal["nl", "en"]) -> Clarification:
    options = tuple(Option(title, Scope(topic=title).to_value()) for _, title in documents[:MAX_DOCUMENTS])
    guides = all(kind == "kennisgids" for kind, _ in documents)
    if language == "en":
        question = "Which knowledge guide do you mean?" if guides else "Which KIS page do you mean?"
    else:
        question = "Over welke kennisgids gaat het?" if guides else "Over welke kennispagina gaat het?"
    return Clarification(question, options)


def _content_stems(question: str) -> list[str]:
    """The question's stems beyond question words and the per-project attribute itself."""
    attribute = set(tokenize([" ".join(m.group(0) for m in _PER_PROJECT.finditer(question))])[0])
    return [s for s in tokenize([question])[0] if s not in QUESTION_STEMS and s not in attribute]


def _projects_of(hits: Sequence[Hit]) -> list[int]:
    return list(dict.fromkeys(h.chunk.project for h in hits if h.chunk.project is not None))


def _split_evidence(question: str, hits: Sequence[Hit], scorer: Scorer) -> list[int]:
    """Projects whose passages among the top hits each hold all of the question's (few) content
    words the corpus knows, when no passage outside a project does: the question fits several
    projects equally ("Wanneer is het eindrapport klaar?")."""
    stems = [s for s in map(scorer.head, _content_stems(question)) if scorer.known(s, compounds=True)]
    if not stems or len(stems) > MAX_SPLIT_STEMS:
        return []
    # a word a tenth of the passages use ("gemaakt") says nothing about which project is meant
    stems = [s for s in stems if scorer.idf(s) > scorer.idf_at_share(COMMON_SHARE)] or stems
    full = [h for h in hits[:SPLIT_DEPTH] if scorer.coverage(stems, h.chunk.text) >= 0.99]
    if any(h.chunk.project is None for h in full):
        return []
    return _projects_of(full)


def which_of(projects: Sequence[int], catalogue: Catalogue, language: Literal["nl", "en"]) -> Clarification:
    """Which of these projects: a follow-up that refers back to an answer about several of them
    ("Welk project gaat over polarisatie?", then "wat is daar het budget van?")."""
    return _ask(list(projects), catalogue, language, other=False)


def _ask(
    projects: list[int], catalogue: Catalogue, language: Literal["nl", "en"], *, other: bool
) -> Clarification:
    options = [Option(catalogue.label(n), Scope(project=n).to_value()) for n in projects[:MAX_OPTIONS]]
    if other:
        label = "Een ander project (1 t/m 14)" if language == "nl" else "Another project (1–14)"
        options.append(Option(label.replace("14", str(max(catalogue.projects, default=14))), "ander"))
    question = "Welk project bedoelt u?" if language == "nl" else "Which project do you mean?"
    return Clarification(question, tuple(options))
