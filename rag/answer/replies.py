"""The fixed-form replies and the conversation memory a reply leaves behind."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rag.conversation.rewrite import Rewritten
from rag.conversation.state import ConversationState, Pending, Scope
from rag.language.numbers import YEAR
from rag.retrieval.retriever import Hit
from rag.schema import SECTION_SEP, Chunk, Contact, Pointer, Reply, Retrieved
from rag.structure.page_facts import Shown, long_date

# Asking for advice, not about something named after it ("Wie zitten er in de Raad van advies?").
_ADVICE = re.compile(
    r"\b(hoe (kan|moet|pak|ga|zou) (ik|je|we|men)|wat kan ik|wat moet ik|tips?|aanpakken in|"
    r"(geef|geeft|wil|zoek|vraag|graag|je|jouw|uw|om|heb|hebt) (\w+ )?advies|advies (over|voor|nodig|bij)|"
    r"how (can|should|do) (i|we)|what should (i|we)|advice)\b",
    re.I,
)


@dataclass(frozen=True)
class Sources:
    """What the index holds, named for a reader in each language: "het KIS-werkplan 2026 en de
    kennispagina's van KIS", read from its documents' kinds and titles."""

    nl: str = "de bronnen van KIS"
    en: str = "the KIS sources"

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> Sources:
        plans: dict[str, None] = {}
        pages = False
        for chunk in chunks:
            if chunk.kind == "werkplan":
                plans.setdefault(next(iter(YEAR.findall(chunk.title)), ""), None)
            else:
                pages = True
        nl = [f"het KIS-werkplan {year}".strip() for year in plans]
        en = [f"the KIS work plan {year}".strip() for year in plans]
        if pages:
            nl.append("de kennispagina's van KIS")
            en.append("KIS knowledge pages")
        if not nl:
            return cls()
        return cls(" en ".join(nl), " and ".join(en))


def age_note(years: Sequence[int | None], language: Literal["nl", "en"], max_age: int, this_year: int) -> str:
    """When the newest dated source of an answer is more than ``max_age`` years old, say so: an
    answer from a 2016 page must not read like one from last month."""
    dated = [year for year in years if year is not None]
    if not dated or this_year - max(dated) <= max_age:
        return ""
    newest = max(dated)
    if language == "en":
        return f"Note: the newest source of this answer is from {newest}, {this_year - newest} years ago."
    return f"Let op: de nieuwste bron van dit antwoord is uit {newest}, {this_year - newest} jaar geleden."


def not_found_reply(
    hits: Sequence[Hit],
    language: Literal["nl", "en"],
    retrieved: tuple[Retrieved, ...],
    sources: Sources = Sources(),
) -> Reply:
    """Say plainly that the sources do not hold it, and point to what they do cover nearby."""
    # a section by its last two headings ("1. Vraagstuk" alone does not say of which project or
    # page), each heading named once
    pointers: list[Pointer] = []
    shown: set[str] = set()
    for hit in hits[:3]:
        path = hit.chunk.section[-2:]
        if path and len(pointers) < 2 and not shown & set(path):
            pointers.append(Pointer(SECTION_SEP.join(path), hit.chunk.id))
            shown |= set(path)
    nearby = [pointer.label for pointer in pointers]
    if language == "en":
        text = f"The sources I have ({sources.en}) do not answer this question."
        if nearby:
            text += " Nearby, they do cover: " + "; ".join(nearby) + "."
    else:
        text = f"Dat staat niet in de bronnen die ik heb ({sources.nl})."
        if nearby:
            text += " Wel vind ik iets over: " + "; ".join(nearby) + "."
    return Reply("not_found", text, retrieved=retrieved, language=language, pointers=tuple(pointers))


def advice_feedback(question: str, language: Literal["nl", "en"]) -> str | None:
    """For advice questions, the counter-question the KIS pilot asks about the user's context."""
    if not _ADVICE.search(question):
        return None
    if language == "en":
        return (
            "To advise more precisely: in which phase is the situation (tension, conflict, crisis), "
            "in which domain do you work, and which target group is involved?"
        )
    return (
        "Om gerichter te helpen: in welke fase zit de situatie (spanning, conflict of crisis), "
        "in welk domein werkt u, en om welke doelgroep gaat het?"
    )


RECENT_PROJECTS = 3


def reply_to_state(
    reply: Reply,
    scope: Scope,
    turn: Rewritten,
    language: Literal["nl", "en"],
    recent: Sequence[int] = (),
    cited_projects: Sequence[int] = (),
    subject: str = "",
) -> ConversationState:
    """What the conversation remembers after this reply (see ``ConversationState``)."""
    projects = [n for n in recent if n != scope.project] + ([scope.project] if scope.project else [])
    cited = tuple(dict.fromkeys(cited_projects))
    several = scope.is_empty() and reply.status == "answered" and len(cited) >= 2
    clarified = reply.clarification if reply.status == "clarify" else None
    return ConversationState(
        focus=scope,
        language=language,
        question=turn.question,
        recent_projects=tuple(projects[-RECENT_PROJECTS:]),
        answered_projects=cited if several else (),
        pending=Pending(turn.question, turn.scope, clarified.options) if clarified is not None else None,
        subject=subject,
    )


_FACT_SENTENCES = {
    "nl": {
        "authors": "{subject} is geschreven door {value}.",
        "published": "{subject} is gepubliceerd op {value}.",
        "modified": "{subject} is voor het laatst bijgewerkt op {value}.",
    },
    "en": {
        "authors": "{subject} was written by {value}.",
        "published": "{subject} was published on {value}.",
        "modified": "{subject} was last updated on {value}.",
    },
}


def page_fact_sentences(title: str, shown: Sequence[Shown], language: Literal["nl", "en"]) -> list[str]:
    """'‘Samenleven met nieuwkomers in de buurt’ is geschreven door …', then 'Het is gepubliceerd op
    …': the page named once, its facts in the order asked."""
    out = []
    for at, fact in enumerate(shown):
        if fact.fact == "contacts":  # a second passage of contacts: "Ook … is contactpersoon."
            again = any(s.fact == "contacts" for s in shown[:at])
            out.append(_contact_sentence(title if at == 0 else None, fact.contacts, language, again=again))
            continue
        subject = f"‘{title}’" if at == 0 else ("It" if language == "en" else "Het")
        value = fact.value.replace(" en ", " and ") if language == "en" else fact.value
        if fact.fact != "authors":
            value = long_date(fact.value, language)
        out.append(_FACT_SENTENCES[language][fact.fact].format(subject=subject, value=value))
    return out


def _contact_sentence(
    title: str | None, people: Sequence[Contact], language: Literal["nl", "en"], *, again: bool
) -> str:
    """'De contactpersoon voor ‘Samen in gesprek’ is Jan Jansen (adviseur, j.jansen@…).' — the
    page named when it was not yet; each person with their function, address and number."""
    several = len(people) > 1
    joined = (" and " if language == "en" else " en ").join(
        f"{p.name} ({details})"
        if (details := ", ".join(d for d in (p.role, p.email, p.phone) if d))
        else p.name
        for p in people
    )
    if language == "en":
        of = f" for ‘{title}’" if title else ""
        noun, verb = ("contact persons", "are") if several else ("contact person", "is")
        also = noun if several else f"a {noun}"
        return f"{joined} {verb} also {also}{of}." if again else f"The {noun}{of} {verb} {joined}."
    of = f" voor ‘{title}’" if title else ""
    noun, verb = ("contactpersonen", "zijn") if several else ("contactpersoon", "is")
    return f"Ook {joined} {verb} {noun}{of}." if again else f"De {noun}{of} {verb} {joined}."


_KIND_NAMES = {
    "nl": {
        "publicatie": "publicatie",
        "artikel": "artikel",
        "dossier": "dossier",
        "kennisgids": "kennisgids",
    },
    "en": {
        "publicatie": "publication",
        "artikel": "article",
        "dossier": "dossier",
        "kennisgids": "knowledge guide",
    },
}


def page_order_sentences(
    order: str, kind: str | None, pages: Sequence[Shown], language: Literal["nl", "en"]
) -> list[str]:
    """The oldest or newest page of a kind ("De oudste publicatie is ‘…’, gepubliceerd op …"), or
    of the pages named, the one asked for first and the other after it; ``pages`` oldest first."""
    first = pages[-1] if order in ("newest", "newer") else pages[0]
    rest = [page for page in pages if page is not first]
    date = long_date(first.value, language)
    if kind is not None:
        name = _KIND_NAMES[language].get(kind, kind)
        if language == "en":
            return [f"The {order} {name} is ‘{first.chunk.title}’, published on {date}."]
        word = "oudste" if order == "oldest" else "nieuwste"
        return [f"De {word} {name} is ‘{first.chunk.title}’, gepubliceerd op {date}."]
    if language == "en":
        lead = f"‘{first.chunk.title}’ is the {order} one: published on {date}."
        return [lead, *(f"‘{p.chunk.title}’ was published on {long_date(p.value, language)}." for p in rest)]
    word = "oudst" if order == "older" else "nieuwst"
    lead = f"‘{first.chunk.title}’ is het {word}: gepubliceerd op {date}."
    return [lead, *(f"‘{p.chunk.title}’ is gepubliceerd op {long_date(p.value, language)}." for p in rest)]
