"""Writing budget replies: figures cited to the line each is printed on, and the fixed replies.

A row is found by its exact text among the lines of the budget passages, in the passage that holds
most of its table: the PDF puts some tables under the next project's heading, so a passage's own
heading is only the tie-breaker.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rag.budget.words import VJI
from rag.conversation.state import Scope
from rag.language.numbers import format_euro, format_number
from rag.schema import BudgetRow, Chunk, Citation, Clarification, Language, Option, Reply
from rag.structure.catalogue import Catalogue

Unit = Literal["euro", "rate", "hours"]
Place = tuple[Chunk, int, int]  # the passage, and the line's start and end in its text
_LINE = re.compile(r"[^\n\s•\-][^\n]*")  # a line without its indent or list bullet


@dataclass(frozen=True)
class Figure:
    """One figure of an answer: what it is, its value, the rows it is printed on (cited) and the
    rows its detail shows (not cited, but their audit findings are reported)."""

    label: str
    value: int
    unit: Unit
    rows: tuple[BudgetRow, ...]
    detail: str = ""
    also: tuple[BudgetRow, ...] = ()


class Draft:
    """An answer being written in the question's language: its lines, the citations in order of
    first use, the rows shown."""

    def __init__(self, places: dict[BudgetRow, Place], language: Language) -> None:
        self.places = places
        self.language = language
        self.lines: list[str] = []
        self.citations: list[Citation] = []
        self.shown: list[BudgetRow] = []

    def add(self, nl: str, en: str) -> None:
        """A line in the question's language; both versions hold the same figures and citation
        marks, so an English reply differs from a Dutch one only in its framing words."""
        self.lines.append(nl if self.language == "nl" else en)

    def total(self, values: Sequence[int], unit: Unit) -> None:
        """The sum of the figures shown, said to be computed and from which terms."""
        total, terms = fmt(sum(values), unit, self.language), " + ".join(format_number(v) for v in values)
        self.add(f"Samen: {total} (berekend: {terms}).", f"Together: {total} (computed: {terms}).")

    def cite(self, rows: Iterable[BudgetRow]) -> str:
        """Citation marks (" [1] [2]") for the rows' printed lines; rows not found are shown uncited."""
        marks: list[int] = []
        for row in rows:
            self.shown.append(row)
            place = self.places.get(row)
            if place is not None:
                marks.append(self._number(*place))
        return "".join(f" [{n}]" for n in dict.fromkeys(marks))

    def figure(self, figure: Figure) -> str:
        self.shown += figure.also
        value = fmt(figure.value, figure.unit, self.language)
        return f"{figure.label}: {value}{self.cite(figure.rows)}{figure.detail}"

    def _number(self, chunk: Chunk, start: int, end: int) -> int:
        for citation in self.citations:
            if (citation.chunk_id, citation.start) == (chunk.id, chunk.start + start):
                return citation.n
        n = len(self.citations) + 1
        self.citations.append(
            Citation(
                n=n,
                chunk_id=chunk.id,
                doc_id=chunk.doc_id,
                title=chunk.title,
                section=chunk.section_path,
                url=chunk.url,
                snippet=chunk.text[start:end],
                start=chunk.start + start,
                end=chunk.start + end,
            )
        )
        return n


def locate_rows(rows: Sequence[BudgetRow], chunks: Iterable[Chunk]) -> dict[BudgetRow, Place]:
    """Each row's printed line inside a budget passage (section path with "Begroting")."""
    lines: dict[str, list[Place]] = defaultdict(list)
    for chunk in chunks:
        if "begroting" in chunk.section_path.lower():
            for m in _LINE.finditer(chunk.text):
                text = m.group().rstrip()
                lines[" ".join(text.split())].append((chunk, m.start(), m.start() + len(text)))
    tables: dict[tuple[str, str], list[BudgetRow]] = defaultdict(list)
    for row in rows:
        tables[(row.scope_kind, row.scope)].append(row)
    places: dict[BudgetRow, Place] = {}
    for key, table in tables.items():
        votes: dict[str, int] = defaultdict(int)
        for row in table:
            for chunk_id in {chunk.id for chunk, _, _ in lines.get(row.source, [])}:
                votes[chunk_id] += 1
        for row in table:
            if found := lines.get(row.source):
                places[row] = max(found, key=lambda p: (votes[p[0].id], _heading_fits(p[0], key)))
    return places


def _heading_fits(chunk: Chunk, key: tuple[str, str]) -> bool:
    kind, scope = key
    if kind == "project":
        return chunk.project == int(scope)
    path = chunk.section_path.lower()
    return f"onderdeel {scope.lower()}." in path if kind == "onderdeel" else "totaal overzicht" in path


def fmt(value: int, unit: Unit, language: Language) -> str:
    """A figure in Dutch notation, as the tables print it, with its unit in the reply's language:
    '€ 121.461', '€ 95 per uur' or '€ 95 per hour', '1.060 uur' or '1.060 hours'."""
    hours, per_hour = ("uur", "per uur") if language == "nl" else ("hours", "per hour")
    if unit == "hours":
        return f"{format_number(value)} {hours}"
    return format_euro(value) + (f" {per_hour}" if unit == "rate" else "")


def not_found(
    reason: str,
    what: str,
    language: Language,
    *,
    roles: Sequence[str] = (),
    last: int = 0,
    year: str = "",
) -> Reply:
    """Why the budget cannot answer: another year, no such project or role, or not a budget item.
    ``year`` is the year the budget is for, as its tables say."""
    plan_nl = f"het werkplan {year}" if year else "het werkplan"
    plan_en = f"the {year} work plan" if year else "the work plan"
    texts = {
        "year": (
            f"De bronnen bevatten alleen de begroting voor {year}; "
            f"een begroting voor {what} staat er niet in.",
            f"The sources only hold the {year} budget; there is no budget for {what} in them.",
        ),
        "project": (
            f"{plan_nl.capitalize()} heeft geen project {what}; de projecten lopen van 1 tot en met {last}.",
            f"{plan_en.capitalize()} has no project {what}; its projects are 1 to {last}.",
        ),
        "owner": (
            f"De begroting van {plan_nl} gaat alleen over KIS; over ‘{what}’ staat er niets in.",
            f"{plan_en.capitalize()} budget only covers KIS; it holds nothing about ‘{what}’.",
        ),
        "role": (
            f"De begroting kent geen functie ‘{what}’. Wel deze functies: {', '.join(roles)}.",
            f"The budget has no role ‘{what}’. Its roles are: {', '.join(roles)}.",
        ),
    }
    not_in_budget = (
        f"Dat staat niet in de begroting van {plan_nl}: die noemt per project en onderdeel de uren, "
        "uurtarieven per functie en bedragen, geen salarissen of andere posten.",
        f"That is not in {plan_en} budget: it gives hours, hourly rates per role and amounts per project "
        "and onderdeel, no salaries or other items.",
    )
    nl, en = texts.get(reason, not_in_budget)
    return Reply("not_found", nl if language == "nl" else en, language=language)


def clarify(clarification: Clarification, language: Language) -> Reply:
    return Reply("clarify", clarification.question, clarification=clarification, language=language)


def which_project(projects: Sequence[int], catalogue: Catalogue, language: Language) -> Clarification:
    """Several projects fit the words; "ander" makes the pipeline offer all projects."""
    options = [Option(catalogue.label(n), Scope(project=n).to_value()) for n in projects]
    options.append(Option("Een ander project" if language == "nl" else "Another project", "ander"))
    return Clarification(
        "Welk project bedoelt u?" if language == "nl" else "Which project do you mean?", tuple(options)
    )


def which_addition(items: Sequence[tuple[str, tuple[str, str]]], language: Language) -> Clarification:
    """Several additional amounts fit the words: each (label, (kind, scope)) as a project or onderdeel."""
    options = tuple(
        Option(label, (Scope(project=int(scope)) if kind == "project" else Scope(onderdeel=scope)).to_value())
        for label, (kind, scope) in items
    )
    question = (
        "Welk additioneel bedrag bedoelt u?" if language == "nl" else "Which additional amount do you mean?"
    )
    return Clarification(question, options)


def which_budget(onderdelen: Sequence[tuple[str, str]], language: Language, year: str = "") -> Clarification:
    """A budget question without a subject: the programme, an onderdeel (letter, name) or a project."""
    options = [Option(f"Het hele programma KIS {year}".strip(), Scope(programme=True).to_value())]
    options += [Option(name, Scope(onderdeel=letter).to_value()) for letter, name in onderdelen]
    options.append(Option("Een project" if language == "nl" else "A project", "ander"))
    if language == "en":
        return Clarification(
            "Which budget do you mean: the whole programme, an onderdeel or a project?", tuple(options)
        )
    return Clarification(
        "Over welk budget gaat het: het hele programma, een onderdeel of een project?", tuple(options)
    )


def which_role(rows: Sequence[BudgetRow], language: Language) -> Clarification:
    """A role two organisations charge differently for: each option with its rate."""
    options = tuple(
        Option(
            f"{r.organisation}: {(r.role or '').lower()} ({fmt(r.rate or 0, 'rate', language)})",
            Scope(organisation=r.organisation, role=r.role).to_value(),
        )
        for r in rows
    )
    if language == "en":
        choices = [
            f"‘{(r.role or '').lower()}’ at {r.organisation} ({fmt(r.rate or 0, 'rate', language)})"
            for r in rows
        ]
        return Clarification(f"Which one do you mean: {', '.join(choices[:-1])} or {choices[-1]}?", options)
    choices = [
        f"{(r.role or '').lower()} bij {'het ' if r.organisation == VJI else ''}{r.organisation} "
        f"({fmt(r.rate or 0, 'rate', language)})"
        for r in rows
    ]
    return Clarification(f"Bedoelt u {', '.join(choices[:-1])} of {choices[-1]}?", options)
