"""Suggested next questions, offered only when the index holds a passage that answers them."""

from __future__ import annotations

from typing import Literal

from rag.conversation.state import Scope
from rag.store.index import Index
from rag.structure.catalogue import Catalogue

# (section word that must exist for the project, Dutch question, English question)
_TEMPLATES = (
    ("Begroting", "Wat is de begroting van project {n}?", "What is the budget of project {n}?"),
    ("Doelgroep", "Wat is de doelgroep van project {n}?", "Who is the target group of project {n}?"),
    ("Resultaten", "Welke resultaten levert project {n} op?", "What results does project {n} deliver?"),
    (
        "Plan van aanpak",
        "Wat is het plan van aanpak van project {n}?",
        "What is the approach of project {n}?",
    ),
    ("Doel", "Wat is het doel van project {n}?", "What is the aim of project {n}?"),
)
MAX_FOLLOW_UPS = 3


def follow_ups_for(
    scope: Scope, index: Index, catalogue: Catalogue, language: Literal["nl", "en"]
) -> tuple[str, ...]:
    """Up to three questions about the conversation's project whose sections exist in the index."""
    if scope.project is None or scope.project not in catalogue.projects:
        return ()
    sections = {
        part for chunk in index.chunks.values() if chunk.project == scope.project for part in chunk.section
    }
    found = [
        (nl if language == "nl" else en).format(n=scope.project)
        for word, nl, en in _TEMPLATES
        if any(word.lower() in part.lower() for part in sections)
    ]
    return tuple(found[:MAX_FOLLOW_UPS])
