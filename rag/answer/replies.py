"""The fixed-form replies and the conversation memory a reply leaves behind."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from rag.conversation.rewrite import Rewritten, Scope, scope_state
from rag.retrieval.retriever import Hit
from rag.schema import SECTION_SEP, Reply, Retrieved

_ADVICE = re.compile(
    r"\b(hoe (kan|moet|pak|ga|zou) (ik|je|we|men)|wat kan ik|wat moet ik|tips?|advies|aanpakken in|"
    r"how (can|should|do) (i|we)|what should (i|we)|advice)\b",
    re.I,
)


def not_found_reply(
    hits: Sequence[Hit], language: Literal["nl", "en"], retrieved: tuple[Retrieved, ...]
) -> Reply:
    """Say plainly that the sources do not hold it, and point to what they do cover nearby."""
    # a section by its last two headings ("1. Vraagstuk" alone does not say of which project or
    # page), each heading named once
    nearby: list[str] = []
    shown: set[str] = set()
    for hit in hits[:3]:
        path = hit.chunk.section[-2:]
        if path and len(nearby) < 2 and not shown & set(path):
            nearby.append(SECTION_SEP.join(path))
            shown |= set(path)
    if language == "en":
        text = (
            "The sources I have (the KIS work plan 2026 and KIS knowledge pages) do not answer this question."
        )
        if nearby:
            text += " Nearby, they do cover: " + "; ".join(nearby) + "."
    else:
        text = "Dat staat niet in de bronnen die ik heb (het KIS-werkplan 2026 en de kennispagina's van KIS)."
        if nearby:
            text += " Wel vind ik iets over: " + "; ".join(nearby) + "."
    return Reply("not_found", text, retrieved=retrieved, language=language)


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
    language: str,
    recent: Sequence[int] = (),
    cited_projects: Sequence[int] = (),
) -> dict[str, Any]:
    """What the conversation remembers: the scope it is about, the question last asked (for an
    elliptical follow-up such as "En project 10?"), the projects it was about lately (for "welke
    van de twee?"), the projects an answer about several cited (for "wat is daar het budget van?")
    and a pending clarification."""
    state: dict[str, Any] = {"scope": scope_state(scope), "language": language, "question": turn.question}
    projects = [n for n in recent if n != scope.project] + ([scope.project] if scope.project else [])
    state["recent_projects"] = projects[-RECENT_PROJECTS:]
    cited = list(dict.fromkeys(cited_projects))
    if scope.is_empty() and reply.status == "answered" and len(cited) >= 2:
        state["answered_projects"] = cited
    if reply.status == "clarify" and reply.clarification is not None:
        state["pending"] = {
            "question": turn.question,
            "scope": scope_state(turn.scope),
            "options": [{"label": o.label, "value": o.value} for o in reply.clarification.options],
        }
    return state
