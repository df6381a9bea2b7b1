"""Questions about one part of a project plan: its target group, partners, results, approach.

Every project plan in the work plan's appendix has the same numbered parts (1. Vraagstuk,
2. Doel(en), 3. Doelgroep, 4. Samenwerking, 5. Plan van aanpak, 6. Resultaten, Planning). A question
that names a project and one of those parts ("Wat levert project 4 op?", "Who are the partners of
project 2?") is answered from that part of the plan, whole, rather than from whichever sentences
happen to share its words. Asked about a project as a whole ("Tell me about project 12"), its entry
in the plan's onderdeel, a few sentences on what it is, answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.schema import Chunk
from rag.store.bm25 import tokenize

SUMMARY = "overzicht"
# The first word of a part's heading ("3. Doelgroep", "2. Doel(en) project 2026") and how questions
# ask for it, in Dutch and English. Budgets are answered from the budget records instead.
_ASPECTS: dict[str, tuple[str, str]] = {
    "vraagstuk": (
        r"\b(vraagstuk|probleemstelling|aanleiding|problem|issue)\b",
        "vraagstuk probleemstelling aanleiding problem issue",
    ),
    "doel": (
        r"\b(doel|doelen|doelstellingen?|goals?|aims?|objectives?|purpose)\b",
        "doel doelen doelstelling doelstellingen goal goals aim aims objective objectives purpose",
    ),
    "doelgroep": (
        r"\b(doelgroep(en)?|profijtgroep(en)?|target ?groups?|beneficiar(y|ies)|audiences?)\b"
        r"|\b(voor wie|for whom)\b",
        "doelgroep doelgroepen profijtgroep target groups group beneficiary beneficiaries audience wie whom",
    ),
    "samenwerking": (
        r"\b(samenwerk\w*|samengewerkt|partners?|werkgroep|klankbordgroep|collaborat\w*|cooperat\w*)\b"
        r"|\b(working groups?|sounding board)\b"
        r"|\bwerk\w*\b.{0,60}\bsamen\b|\bwork\w* (together )?with\b",
        "samenwerking samenwerken samenwerkt samengewerkt partner partners werkt werken samen werkgroep "
        "working group "
        "collaborate collaborates collaboration cooperate cooperation work works working together with",
    ),
    "plan": (
        r"\b(plan van aanpak|aanpak|activiteiten|werkwijze|approach|activities|methods?)\b",
        "plan aanpak activiteit activiteiten werkwijze approach activities activity method methods",
    ),
    "resultaten": (
        r"\b(resultat\w*|results?|oplever\w*|levert\b.{0,60}\bop|producten|products?|deliverables?|outputs?)\b",
        "resultaat resultaten result results opleveren oplevert levert op producten product products "
        "deliverable deliverables output outputs deliver delivers",
    ),
    "planning": (
        r"\b(planning|tijdpad|tijdsplanning|timeline|schedule)\b",
        "planning tijdpad tijdsplanning timeline schedule",
    ),
    # the project as a whole: its entry in the plan's Onderdeel A says what it is in a few sentences
    SUMMARY: (
        r"\b(vertel\w*|tell me|waar gaat|wat houdt|beschrijf\w*|describe|samenvatting|summar\w*|"
        r"overview|in het kort|in short)\b|\bwhat is\b.*\babout\b",
        "vertel vertellen tell waar gaat houdt beschrijf beschrijving describe samenvatting summary "
        "summarise overview kort short about",
    ),
}
_PATTERNS = {name: re.compile(pattern, re.I) for name, (pattern, _) in _ASPECTS.items()}
_ASPECT_STEMS = {name: frozenset(tokenize([words])[0]) for name, (_, words) in _ASPECTS.items()}
_HEADING_WORD = re.compile(r"^\d{1,2}\.\s*|\(.*?\)")


def aspect_of(question: str) -> str | None:
    """The one part of a project plan the question asks for, or None (none, or several)."""
    found = [name for name, pattern in _PATTERNS.items() if pattern.search(question)]
    if len(found) > 1:  # "Vertel over de doelen van project 3" asks for the goals
        found = [name for name in found if name != SUMMARY]
    return found[0] if len(found) == 1 else None


def aspect_stems(aspect: str) -> frozenset[str]:
    """The stems that name the part itself: they say where to look, not what to find there."""
    return _ASPECT_STEMS[aspect]


def heading_aspect(heading: str) -> str:
    """'2. Doel(en) project 2026' → 'doel'; '5. Plan van aanpak in hoofdlijnen' → 'plan'."""
    words = _HEADING_WORD.sub(" ", heading).split()
    return words[0].lower() if words else ""


@dataclass(frozen=True)
class ProjectParts:
    """The chunks of each project's plan parts, in document order."""

    parts: dict[tuple[int, str], tuple[Chunk, ...]]

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> ProjectParts:
        parts: dict[tuple[int, str], list[Chunk]] = {}
        for chunk in chunks:
            if chunk.project is None or len(chunk.section) < 2:
                continue
            if chunk.section[0].startswith("Onderdeel") and chunk.section[-1].startswith("Project"):
                aspect = SUMMARY  # the project's entry among the others of its onderdeel
            elif len(chunk.section) >= 3 and chunk.section[0].startswith("Bijlage"):
                aspect = heading_aspect(chunk.section[-1])  # only the appendix plans have numbered parts
            else:
                continue
            if aspect in _ASPECTS:
                parts.setdefault((chunk.project, aspect), []).append(chunk)
        return cls({key: tuple(sorted(found, key=lambda c: c.start)) for key, found in parts.items()})

    def get(self, project: int, aspect: str) -> Sequence[Chunk]:
        return self.parts.get((project, aspect), ())
