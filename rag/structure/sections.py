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
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from rag.schema import Chunk
from rag.store.bm25 import tokenize

SUMMARY = "overzicht"
# How questions ask for each part, and the words that name it (data: rag/language/plan_parts.toml).
_ASPECTS: dict[str, dict[str, str]] = tomllib.loads(
    resources.files("rag.language").joinpath("plan_parts.toml").read_text(encoding="utf-8")
)
_PATTERNS = {name: re.compile(part["pattern"], re.I) for name, part in _ASPECTS.items()}
_ASPECT_STEMS = {name: frozenset(tokenize([part["words"]])[0]) for name, part in _ASPECTS.items()}
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
