"""Questions about the work plan's own structure: its onderdelen, its themes, its projects.

"Uit welke onderdelen bestaat het werkplan?" is answered by the document's headings, not by the
sentences that happen to say "onderdeel"; each heading is cited with the sentence that opens it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.answer.answer_types import asks_for
from rag.answer.compose import Span, spans
from rag.answer.decide import content_stems
from rag.language.numbers import YEAR
from rag.schema import Chunk
from rag.store.bm25 import tokenize

_LEVELS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "thema": (re.compile(r"\b(thema'?s|themes)\b", re.I), re.compile(r"^(Thema \d{1,2})\.?\s")),
    "onderdeel": (
        re.compile(r"\b(onderdelen|programmaonderdelen|components)\b", re.I),
        re.compile(r"^(Onderdeel [A-E])[:.]"),
    ),
    "project": (re.compile(r"\b(projecten|projects)\b", re.I), re.compile(r"^(Project \d{1,2})\.?\s")),
}
_LISTING = re.compile(r"\b(welke|wat zijn|noem|uit welke|which|what are|list|name|hoeveel|how many)\b", re.I)
_NAMES = {  # level → (Dutch singular, plural), (English singular, plural)
    "thema": (("thema", "thema's"), ("theme", "themes")),
    "onderdeel": (("onderdeel", "onderdelen"), ("onderdeel", "onderdelen")),
    "project": (("project", "projecten"), ("project", "projects")),
}
# Words that ask for the whole outline; any other content word asks for a selection of it.
_OUTLINE_WORDS = frozenset(
    tokenize(
        [
            "kis werkplan work plan programma programme bestaat bestaan bestaande heeft hebben kent "
            "telt voert uit uitgevoerd loopt lopen run runs drie vier vijf tien veertien three five ten "
            "fourteen consist consists has have contain contains alle all allemaal volgende thema themas "
            "theme themes "
            "onderdeel onderdelen component components projecten projects"
        ]
    )[0]
)
_NUMBERED = re.compile(r"^Project (\d{1,2})\b")
OVERVIEW_MIN = 3
OVERVIEW_SHARE = 0.75


@dataclass(frozen=True)
class Entry:
    label: str  # the heading: "Thema 2. Respectvol samenleven"
    span: Span  # the heading (when the passage holds it) and the sentence that opens the section


@dataclass(frozen=True)
class Outline:
    """Each level's headings in their numbered order, from the work plan's passages."""

    levels: dict[str, tuple[Entry, ...]]
    years: frozenset[str]  # the years the outlined document is about (from its title)
    overviews: dict[str, Span]  # per level, the sentence that itself lists its headings (a Leeswijzer)

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> Outline:
        # the section's own passages first (a two-column page can put a sub-section's passage
        # before its parent's), and not the appendix plans or budget tables, which repeat headings
        plan = sorted(
            (
                c
                for c in chunks
                if c.kind == "werkplan" and not c.section[0].startswith(("Bijlage", "Begroting"))
            ),
            key=lambda c: (len(c.section), c.start),
        )
        levels: dict[str, tuple[Entry, ...]] = {}
        for level, (_, heading) in _LEVELS.items():
            entries: dict[str, Entry] = {}
            for chunk in plan:
                for part in chunk.section:
                    if (
                        (m := heading.match(part))
                        and m.group(1) not in entries
                        and (span := _opening(chunk, part))
                    ):
                        entries[m.group(1)] = Entry(part, span)
            levels[level] = tuple(entries[key] for key in sorted(entries, key=natural_order))
        years = frozenset(y for c in plan[:1] for y in YEAR.findall(c.title))
        overviews = {
            level: found
            for level, entries in levels.items()
            if (found := _overview(plan, entries)) is not None
        }
        return cls(levels, years, overviews)

    def asked(self, question: str) -> str | None:
        """The level a question asks to list whole ("Wat zijn de thema's van KIS?"), or None."""
        if not _LISTING.search(question):
            return None
        found = [level for level, (words, _) in _LEVELS.items() if words.search(question)]
        if len(found) != 1 or not self.levels.get(found[0]):
            return None
        if any(s not in _OUTLINE_WORDS for s in content_stems(question)):
            return None  # "Welke projecten gaan over discriminatie?" asks for a selection
        return found[0]

    def count(self, question: str, level: str, language: str, selected: int | None = None) -> str | None:
        """For "Hoeveel projecten …?", the number of the level's headings (or of those ``selected``
        by their title or aim), said to be counted: the plan lists them, it need not say how many."""
        if asks_for(question) != "number":
            return None
        n = len(self.levels.get(level, ())) if selected is None else selected
        (nl_one, nl), (en_one, en) = _NAMES[level]
        nl, en = (nl_one, en_one) if n == 1 else (nl, en)
        if selected is not None:
            if language == "en":
                return f"I count {n} {en} whose title or aim names this:"
            return f"Ik tel {n} {nl} waarvan de titel of het doel dit noemt:"
        if language == "en":
            return f"The work plan has {n} {en} (counted from its headings):"
        return f"Het werkplan heeft {n} {nl} (geteld uit de koppen):"

    def projects(self, numbers: Iterable[int]) -> list[Entry]:
        """The outline entries of these projects, in the order given."""
        by_number = {
            int(m.group(1)): e for e in self.levels.get("project", ()) if (m := _NUMBERED.match(e.label))
        }
        return [by_number[n] for n in numbers if n in by_number]

    def other_year(self, question: str) -> bool:
        """The question asks about a year the outlined document is not about ("werkplan 2027")."""
        years = set(YEAR.findall(question))
        return bool(years) and bool(self.years) and not years <= self.years


def _overview(chunks: Sequence[Chunk], entries: Sequence[Entry]) -> Span | None:
    """The sentence that names at least three quarters (and three) of these headings itself, as
    the Leeswijzer lists the onderdelen: the plan's own overview of the level. A heading counts as
    named by its number and first title word ("Onderdeel E: Programmaleiding"); lists shorten the
    rest."""
    labels = [" ".join(_flat(e.label).split()[:3]) for e in entries]
    need = max(OVERVIEW_MIN, math.ceil(OVERVIEW_SHARE * len(labels)))
    flat = [(c, _flat(c.text)) for c in chunks]
    counted = [(sum(label in text for label in labels), c) for c, text in flat]
    found, chunk = max(counted, key=lambda pair: pair[0], default=(0, None))
    if chunk is None or found < need:
        return None
    # from the sentence that names the first of them to the one that names the last ("Thema 1."
    # ends a sentence for the splitter)
    naming = [s for s in spans(chunk) if any(_number(label) in _flat(s.text) for label in labels)]
    return Span(chunk, naming[0].start, naming[-1].end) if naming else None


def _number(label: str) -> str:
    """A heading's kind and number: "onderdeel a:", "thema 1."."""
    return " ".join(label.split()[:2])


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


def natural_order(key: str) -> tuple[int, str]:
    """'Project 2' before 'Project 10'; 'Onderdeel A' before 'Onderdeel B'."""
    digits = re.findall(r"\d+", key)
    return (int(digits[0]) if digits else 0, key)


def _opening(chunk: Chunk, heading: str) -> Span | None:
    """From the heading (when the passage starts with it) through the section's first sentence."""
    opens = chunk.text.startswith(heading)
    first = next((s for s in spans(chunk) if s.start >= (len(heading) if opens else 0)), None)
    return Span(chunk, 0 if opens else first.start, first.end) if first is not None else None
