"""The steps of a project plan: "Uit welke onderdelen bestaat project 11?", "Welke stappen zet project 14?".

A project's plan of approach is divided into steps, phases or parts by headings of its own ("Stap 1:
…", "Fase 2 / Onderdeel B: …", "Onderdeel C: …"), which are no sections of the outline; the section
of a project that holds most of them is the one they divide, whatever the document calls it. Asked for
them, the answer lists those headings in their order, each cited, rather than the sentences that
happen to say "onderdeel".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rag.answer.compose import Span
from rag.schema import Chunk
from rag.structure.outline import Entry, natural_order

# "Stap 1 literatuuronderzoek", "Fase 1 / Onderdeel A: Kwantitatief deel", "Onderdeel C: Uitbreiding …"
_STEP = re.compile(r"^(?P<key>(?:Stap|Fase|Onderdeel) (?:\d{1,2}[A-Z]?|[A-Z]))\b[^\n]*", re.M)
_ASKED = re.compile(
    r"\b(stappen|fases|fasen|onderdelen|hoofdonderdelen|deelprojecten|steps|phases|stages|parts|components)\b",
    re.I,
)
MAX_TITLE_WORDS = 14  # a longer line is a sentence that starts with "Onderdeel C", not a heading


@dataclass(frozen=True)
class ProjectSteps:
    steps: dict[int, tuple[Entry, ...]]  # project → its step headings, in their order

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> ProjectSteps:
        by_section: dict[tuple[int, str], dict[str, Entry]] = {}  # (project, section) → key → heading
        prose = (c for c in chunks if c.project is not None and not c.budget_table)
        for chunk in sorted(prose, key=lambda c: c.start):
            for match in _STEP.finditer(chunk.text):
                heading = " ".join(match.group(0).split())
                if len(heading.split()) > MAX_TITLE_WORDS or heading.endswith("."):
                    continue
                steps = by_section.setdefault((chunk.project or 0, chunk.section_path), {})
                steps.setdefault(match.group("key"), Entry(heading, Span(chunk, match.start(), match.end())))
        found: dict[int, dict[str, Entry]] = {}
        for (project, _), steps in by_section.items():
            if len(steps) > len(found.get(project, {})):
                found[project] = steps
        # one kind per plan: "Fase 1 / Onderdeel A" is a phase that also names a part
        kinds = {p: next(iter(s)).split(" ", 1)[0] for p, s in found.items()}
        ordered = {
            p: tuple(s[k] for k in sorted(s, key=natural_order) if k.startswith(kinds[p]))
            for p, s in found.items()
        }
        return cls({p: entries for p, entries in ordered.items() if len(entries) >= 2})

    def asked(self, question: str) -> bool:
        """The question asks for the steps, phases or parts of something."""
        return bool(_ASKED.search(question))
