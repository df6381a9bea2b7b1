"""Budget questions answered exactly from the budget records, each figure cited to its table row.

Figures are never computed silently: a sum or difference says it is computed, and a figure the
audit found inconsistent carries the finding. Everything a question needs is prepared in memory
once per store, so this path costs no embedding call and no database query.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import rag.budget.reply as say
from rag.budget.intent import (
    BudgetQuery,
    RoleAsk,
    Target,
    Vocabulary,
    match_roles,
    parse_budget_question,
    subject_of,
    with_scope,
)
from rag.budget.reply import Draft, Figure, Unit, fmt, locate_rows
from rag.budget.store import BudgetStore
from rag.budget.words import MOVISIE, VJI
from rag.conversation.state import Scope
from rag.language.numbers import format_euro, format_number
from rag.schema import BudgetRow, Clarification, Language, Reply, Retrieved
from rag.store.index import Index
from rag.structure.catalogue import Catalogue

Key = tuple[str, str]  # (scope_kind, scope) of a table
PROGRAMME_KEY: Key = ("programma", "totaal")
_ROLE_KINDS = ("line", "stafkosten", "overhead")
_TARGET: dict[Target, tuple[str, str]] = {  # (Dutch, English): "onderdeel" is the plan's own term
    "projects": ("project", "project"),
    "onderdelen": ("onderdeel", "onderdeel"),
    "organisations": ("organisatie", "organisation"),
    "roles": ("functie", "role"),
}


class BudgetQA:
    """Answers budget questions; built once per index build, with every lookup prepared."""

    def __init__(self, store: BudgetStore, index: Index, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        rows = store.rows()
        tables: dict[Key, list[BudgetRow]] = defaultdict(list)
        for row in rows:
            tables[(row.scope_kind, row.scope)].append(row)
        self.tables = dict(tables)
        self.titles = {(s.scope_kind, s.scope): s.title for s in store.scopes()}
        findings: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        for finding in store.findings():
            findings[(finding.scope_kind, finding.scope, finding.line)].append(finding.message)
        self.findings = dict(findings)
        ordered = (
            self.tables.get(PROGRAMME_KEY, []) + rows
        )  # the programme table first: it has every common role
        distinct = {(r.organisation, r.role): r for r in reversed(ordered) if r.row_kind in _ROLE_KINDS}
        self.role_rows = sorted(distinct.values(), key=ordered.index)
        titles: dict[str, list[str]] = defaultdict(list)
        for (kind, scope), title in self.titles.items():
            if kind in ("onderdeel", "overzicht") and scope != "totaal":
                titles[scope].append(title)
        for letter, title in catalogue.onderdelen.items():
            titles[letter].append(title)
        # the year the budget is for: its base amount's table is named after it
        self.year = next((scope for kind, scope in self.tables if kind == "basis"), "")
        self.vocabulary = Vocabulary.build(catalogue, dict(titles), self.year)
        self.additions = {
            r: subject_of(r.scope, self.vocabulary) for r in rows if r.scope_kind == "aanvulling"
        }
        self.places = locate_rows(rows, index.chunks.values())
        self.chunks = index.chunks
        self.known_names = _words(
            [r.source for r in rows]
            + list(self.titles.values())
            + list(catalogue.projects.values())
            + list(catalogue.onderdelen.values())
            + ["KIS project projecten onderdeel onderdelen programma werkplan"]
        )

    def answer(self, question: str, scope: Scope, language: Language) -> tuple[Reply, Scope] | None:
        """A reply when this is a budget question, else None (the text answerer takes it)."""
        parsed = parse_budget_question(question, self.vocabulary, scoped=not scope.is_empty())
        if parsed is None:
            return None
        q = with_scope(parsed, scope)
        if missing := self._missing(q):
            roles = list(dict.fromkeys(_lower(r.role) for r in self.role_rows if r.row_kind == "line"))
            return say.not_found(
                *missing,
                language,
                roles=roles,
                last=max(self.catalogue.projects, default=0),
                year=self.year,
            ), scope
        if len(q.named_projects) > 1 and not q.projects:
            return self._clarify(
                say.which_project(q.named_projects, self.catalogue, language), language
            ), scope
        settled = self._settled_role(q)
        after = Scope(  # a role a clarification settled stays the subject: "and how many hours do they work?"
            project=q.projects[0] if len(q.projects) == 1 else None,
            onderdeel=q.onderdelen[0] if len(q.onderdelen) == 1 and not q.projects else None,
            programme=True if q.programme and not (q.projects or q.onderdelen) else None,
            organisation=settled.organisation if settled else None,
            role=settled.exact if settled else None,
        )
        draft = Draft(self.places, language)
        if q.basis or (q.additions and not q.roles):
            if clarification := self._which_addition(q, language):
                return self._clarify(clarification, language), scope
            self._additions(q, draft)
        elif q.listing or (q.rank and len(self._keys(q)) < 2 and (q.measure == "rate" or not q.roles)):
            self._ranking(q, draft)
            after = Scope()
        elif q.measure == "rate":
            if clarification := self._rates(q, draft, language):
                return self._clarify(clarification, language), scope
        elif q.measure == "hours":
            if clarification := self._which_organisation(q, language):
                return self._clarify(clarification, language), scope
            self._hours(q, draft)
        elif q.roles:
            self._figures(q, draft, self._role_figures(q, draft))
        elif q.projects or q.onderdelen or q.programme or q.organisations or q.external or q.total:
            self._amounts(q, draft)
        else:
            onderdelen = [(k[1], self._name(k)) for k in self._tables_of("onderdeel")]
            return self._clarify(say.which_budget(onderdelen, language, self.year), language), scope
        return self._reply(draft), after

    # --- figures ----------------------------------------------------------------------------

    def _keys(self, q: BudgetQuery) -> list[Key]:
        keys = [("project", str(n)) for n in q.projects] + [("onderdeel", o) for o in q.onderdelen]
        return keys or [PROGRAMME_KEY]

    def _amounts(self, q: BudgetQuery, draft: Draft) -> None:
        """Totals, organisation subtotals or external costs of projects, onderdelen or the programme;
        with a total, the additional amount the overview lists for it."""
        keys = self._keys(q)
        parties: list[str | None] = [*q.organisations, *(["extern"] if q.external else [])] or [None]
        parts = [(key, f) for key in keys for party in parties for f in self._amount(key, party)]
        self._figures(q, draft, [f for _, f in parts])
        for key, figure in parts if q.share else []:
            # an organisation's share is of its table's total; a table's share of the programme's
            whole = self._amount(key if parties != [None] else PROGRAMME_KEY, None)
            if whole and whole[0].value and whole[0] is not figure and whole[0].value != figure.value:
                percent = f"{100 * figure.value / whole[0].value:.1f}".replace(".", ",")
                of = f"{whole[0].label}: {format_euro(whole[0].value)}{draft.cite(whole[0].rows)}"
                draft.add(
                    f"Dat is {percent}% van {of} (berekend).", f"That is {percent}% of {of} (computed)."
                )
        for row, linked in self.additions.items():
            if linked in keys and parties == [None]:
                listed = f"‘{row.scope}’: {format_euro(row.amount or 0)}{draft.cite([row])}."
                draft.add(
                    f"Bij de additionele bedragen in het totaaloverzicht staat {listed}",
                    f"The additional amounts in the overall overview include {listed}",
                )

    def _amount(self, key: Key, party: str | None) -> list[Figure]:
        """A table's total (party None; an onderdeel's also cited in the overview), an organisation's
        subtotal or the external costs."""
        rows = self.tables.get(key, [])
        if party is None:
            overview = [r for r in self.tables.get(("overzicht", key[1]), []) if r.row_kind == "total"]
            total = overview if key == PROGRAMME_KEY else [r for r in rows if r.row_kind == "total"]
            cited = tuple(total[:1] + (overview if key[0] == "onderdeel" else []))
            parts = tuple(r for r in rows if r.row_kind in ("subtotal", "external"))
            detail = " (" + ", ".join(f"{_who(r)} {format_euro(r.amount or 0)}" for r in parts) + ")"
            return (
                [Figure(self._name(key), total[0].amount or 0, "euro", cited, detail, parts)] if total else []
            )
        kind = "external" if party == "extern" else "subtotal"
        found = [
            r
            for r in rows
            if r.row_kind == kind and r.organisation == (None if kind == "external" else party)
        ]
        return [Figure(f"{self._name(key)} – {_who(r)}", r.amount or 0, "euro", (r,)) for r in found]

    def _role_figures(self, q: BudgetQuery, draft: Draft, unit: Unit = "euro") -> list[Figure]:
        """Amounts or hours of the roles asked in each table (a role of one onderdeel only, asked
        programme-wide: in that onderdeel); a role a table lacks is said so."""
        figures = []
        for key in self._keys(q):
            for ask in q.roles:
                keys = [key]
                if key == PROGRAMME_KEY and not self._role_rows(ask, key):
                    keys = [k for k in self._tables_of("onderdeel") if self._role_rows(ask, k)] or keys
                rows = [(k, row) for k in keys for row in self._role_rows(ask, k)]
                if not rows:
                    draft.add(
                        f"In {self._name(key)} staat geen {ask.describe()}.",
                        f"The budget of {self._name(key)} has no {_asked(ask, draft.language)}.",
                    )
                for k, row in rows:
                    value = (row.amount if unit == "euro" else row.hours) or 0
                    cost = f" = {format_euro(row.amount)}" if unit == "hours" and row.amount else ""
                    hours = fmt(row.hours or 0, "hours", draft.language)
                    at = "à" if draft.language == "nl" else "at"
                    detail = f" ({hours} {at} {format_euro(row.rate or 0)}{cost})"
                    label = f"{self._name(k)} – {_role(row, draft.language)}"
                    figures.append(Figure(label, value, unit, (row,), detail))
        return figures

    def _settled_role(self, q: BudgetQuery) -> RoleAsk | None:
        """The one table role the question is about, which a follow-up keeps as its subject ("en
        wat kost dat?"): chosen in a clarification, or the only row the question's words match."""
        if len(q.roles) != 1:
            return None
        if q.roles[0].exact:
            return q.roles[0]
        rows = {(r.organisation, r.role) for key in self._keys(q) for r in self._role_rows(q.roles[0], key)}
        if len(rows) != 1:
            return None
        organisation, role = rows.pop()
        return RoleAsk(exact=role, organisation=organisation)

    def _role_rows(self, ask: RoleAsk, key: Key) -> list[BudgetRow]:
        return match_roles(ask, [r for r in self.tables.get(key, []) if r.row_kind in _ROLE_KINDS])

    def _tables_of(self, kind: str) -> list[Key]:
        """The tables of projects or onderdelen, in number or letter order."""
        return sorted((k for k in self.tables if k[0] == kind), key=lambda k: (len(k[1]), k[1]))

    def _pool(self, q: BudgetQuery) -> list[BudgetRow]:
        """The roles of the tables asked about (all roles for the programme)."""
        if not (q.projects or q.onderdelen):
            return self.role_rows
        present = {(r.organisation, r.role) for key in self._keys(q) for r in self.tables.get(key, [])}
        return [r for r in self.role_rows if (r.organisation, r.role) in present]

    def _which_organisation(self, q: BudgetQuery, language: Language) -> Clarification | None:
        """The hours of one role, asked without an organisation, when both organisations have it:
        whose hours is a choice the user makes, as with rates."""
        if len(q.roles) != 1 or q.organisations or q.total:
            return None
        rows = match_roles(q.roles[0], self._pool(q))
        return say.which_role(rows, language) if len({r.organisation for r in rows}) > 1 else None

    def _rates(self, q: BudgetQuery, draft: Draft, language: Language) -> Clarification | None:
        """Hourly rates; a role that two organisations charge differently for is asked back."""
        pool = self._pool(q)
        if q.roles:
            matches = [match_roles(ask, pool) for ask in q.roles]
        else:
            matches = [[r for r in pool if not q.organisations or r.organisation in q.organisations]]
        if (
            len(q.roles) == 1
            and len({r.organisation for r in matches[0]}) > 1
            and len({r.rate for r in matches[0]}) > 1
        ):
            return say.which_role(matches[0], language)
        # "het uurtarief van een onderzoeker": senior, medior and plain researchers differ by half
        ask = q.roles[0] if len(q.roles) == 1 else None
        if ask and not (ask.levels or ask.exact or ask.organisation or q.organisations):
            levels = match_roles(ask, pool, any_level=True)
            if len({r.rate for r in levels}) > 1:
                return say.which_role(levels, language)
        figures = [Figure(_role(r, language), r.rate or 0, "rate", (r,)) for m in matches for r in m]
        self._figures(q, draft, figures)
        return None

    def _hours(self, q: BudgetQuery, draft: Draft) -> None:
        """Hours of roles, or of organisations: staff costs are charged on all of their hours."""
        if q.fte:
            draft.add("De begroting noemt uren, geen fte.", "The budget names hours, not FTE.")
        if q.roles:
            self._figures(q, draft, self._role_figures(q, draft, "hours"))
            return
        orgs = q.organisations or (VJI, MOVISIE)
        figures = [f for key in self._keys(q) for f in self._org_hours(key, orgs)]
        self._figures(replace(q, total=True), draft, figures)

    def _ranking(self, q: BudgetQuery, draft: Draft) -> None:
        """Projects, onderdelen, organisations or roles: ranked, or listed (above or below an amount)."""
        target: Target = q.listing or q.rank_target
        figures = self._candidates(q, target, draft.language)
        if q.threshold:
            side, limit = q.threshold
            figures = [f for f in figures if (f.value > limit if side == "above" else f.value < limit)]
            if not figures:
                (nl, en), above = _TARGET[target], side == "above"
                draft.add(
                    f"Geen enkel {nl} komt {'boven' if above else 'onder'} {format_euro(limit)}.",
                    f"No {en} is {'above' if above else 'below'} {format_euro(limit)}.",
                )
                return
        if not q.rank:
            draft.lines += [draft.figure(replace(f, detail="", also=())) for f in figures]
            if q.count:
                draft.add(f"Aantal: {len(figures)}.", f"Count: {len(figures)}.")
            if q.total and len(figures) >= 2 and figures[0].unit != "rate":  # "alle projecten samen"
                draft.total([f.value for f in figures], figures[0].unit)
            return
        figures.sort(key=lambda f: f.value, reverse=q.rank == "max")
        head, *rest = figures if q.listing else figures[: q.top if q.top > 1 else 3]
        top, highest = draft.figure(head), q.rank == "max"
        draft.add(
            f"Het {'hoogst' if highest else 'laagst'}: {top}",
            f"The {'highest' if highest else 'lowest'}: {top}",
        )
        if rest:
            draft.add("Daarna:", "Then:")
            draft.lines += [f"- {draft.figure(replace(f, detail='', also=()))}" for f in rest]

    def _candidates(self, q: BudgetQuery, target: Target, language: Language) -> list[Figure]:
        party = q.organisations[0] if len(q.organisations) == 1 else ("extern" if q.external else None)
        if target == "roles":
            lines = [r for r in self.role_rows if r.row_kind == "line" and party in (None, r.organisation)]
            return [Figure(_role(r, language), r.rate or 0, "rate", (r,)) for r in lines]
        if target == "organisations":
            return [f for org in (VJI, MOVISIE) for key in self._keys(q) for f in self._amount(key, org)]
        keys = self._tables_of("project" if target == "projects" else "onderdeel")
        if q.measure != "hours":
            return [f for key in keys for f in self._amount(key, party)]
        both = (
            " (berekend: beide organisaties samen)"
            if language == "nl"
            else " (computed: both organisations together)"
        )
        figures = []
        for key in keys:
            parts = self._org_hours(key, (party,) if party else (VJI, MOVISIE))
            label = self._name(key) + (f" – {party}" if party else both)
            rows = tuple(r for f in parts for r in f.rows)
            figures.append(Figure(label, sum(f.value for f in parts), "hours", rows))
        return figures

    def _org_hours(self, key: Key, orgs: Sequence[str | None]) -> list[Figure]:
        """Each organisation's hours in a table: the hours its staff costs are charged on."""
        figures = []
        for staff in self.tables.get(key, []):
            if staff.row_kind == "stafkosten" and staff.organisation in orgs:
                lines = [
                    r
                    for r in self.tables.get(key, [])
                    if r.row_kind == "line" and r.organisation == staff.organisation
                ]
                detail = ", ".join(f"{_lower(r.role)} {format_number(r.hours or 0)}" for r in lines)
                label = f"{self._name(key)} – {staff.organisation}"
                figures.append(Figure(label, staff.hours or 0, "hours", (staff,), f" ({detail})"))
        return figures

    def _which_addition(self, q: BudgetQuery, language: Language) -> Clarification | None:
        """ "Wat kost de uitbreiding?": when the word asked by names several additional amounts of
        different projects or onderdelen, which one is meant."""
        if q.basis or q.projects or q.onderdelen or not q.addition_word:
            return None
        items = [
            (row.scope, key)
            for row, key in self.additions.items()
            if key is not None and q.addition_word in row.scope.lower()
        ]
        return say.which_addition(items, language) if len(items) >= 2 else None

    def _additions(self, q: BudgetQuery, draft: Draft) -> None:
        """The base amount and the additional amounts the programme total is made of."""
        basis = self.tables.get(("basis", self.year), [])
        scoped = q.projects or q.onderdelen
        if basis and (q.basis or not scoped):
            amount = f"{format_euro(basis[0].amount or 0)}{draft.cite(basis)}."
            draft.add(
                f"Het basisbedrag voor {self.year} is {amount}",
                f"The base amount for {self.year} is {amount}",
            )
        rows = [r for r, key in self.additions.items() if not scoped or key in self._keys(q)]
        if q.additions and not rows:
            draft.add(
                "Bij de additionele bedragen in het totaaloverzicht staat hiervoor niets.",
                "The additional amounts in the overall overview list nothing for this.",
            )
        elif q.additions or not q.basis:
            draft.add("Additionele bedragen:", "Additional amounts:")
            draft.lines += [f"- {r.scope}: {format_euro(r.amount or 0)}{draft.cite([r])}" for r in rows]
            if q.total and len(rows) >= 2:
                draft.total([r.amount or 0 for r in rows], "euro")
        if scoped and rows:  # beside the addition, the whole budget it is part of
            draft.add("De begroting waar het bij hoort:", "The budget it belongs to:")
            draft.lines += [draft.figure(f) for key in self._keys(q) for f in self._amount(key, None)]

    # --- writing ----------------------------------------------------------------------------

    def _figures(self, q: BudgetQuery, draft: Draft, figures: Sequence[Figure]) -> None:
        """Each figure on its own line; with several, the comparison or the sum the question asks."""
        draft.lines += [draft.figure(f) for f in figures]
        if len(figures) < 2 or len({f.unit for f in figures}) > 1:
            return
        unit = figures[0].unit
        high, *_, low = sorted(figures, key=lambda f: f.value, reverse=True)
        most, least, difference = (
            fmt(value, unit, draft.language) for value in (high.value, low.value, high.value - low.value)
        )
        if (q.compare or q.rank) and high.value == low.value:
            draft.add(f"De bedragen zijn gelijk: {most}.", f"The amounts are equal: {most}.")
        elif q.compare or q.rank:
            draft.add(
                f"Het hoogst is {high.label}: {most}, tegenover {least} voor {low.label} "
                f"(verschil {difference}, berekend).",
                f"The highest is {high.label}: {most}, against {least} for {low.label} "
                f"(difference {difference}, computed).",
            )
        elif q.total and unit != "rate":
            draft.total([f.value for f in figures], unit)

    def _reply(self, draft: Draft) -> Reply:
        """The draft with the audit's findings on the rows it shows; an English reply opens with a
        frame saying the figures and names are the Dutch tables' own."""
        language = draft.language
        if not draft.lines:
            return say.not_found("nothing", "", language, year=self.year)
        notes = [m for r in draft.shown for m in self.findings.get((r.scope_kind, r.scope, r.line), [])]
        for note in dict.fromkeys(notes):
            draft.add(
                f"Let op, de controle van de begroting vond: {note}.",
                f"Note: the budget audit found: {note}.",
            )
        written = list(dict.fromkeys(draft.lines))  # one rate printed in two rows of a table: once
        frame = (
            f"From the budget tables of the KIS work plan {self.year} (amounts in euros, in Dutch notation; "
            "names as in the Dutch source):"
        )
        lines = [" ".join(frame.split()), *written] if language == "en" else written
        return Reply(
            "answered",
            "\n".join(lines),
            citations=tuple(draft.citations),
            retrieved=self._ranked([c.chunk_id for c in draft.citations]),
            language=language,
        )

    def _ranked(self, chunk_ids: Sequence[str]) -> tuple[Retrieved, ...]:
        """Table passages as the ranked passages: the tables are what was retrieved, so evaluators
        and the UI see them like any other reply's sources."""
        ids = [cid for cid in dict.fromkeys(chunk_ids) if cid in self.chunks]
        return tuple(
            Retrieved(
                rank, cid, self.chunks[cid].doc_id, self.chunks[cid].section_path, self.chunks[cid].text, 1.0
            )
            for rank, cid in enumerate(ids, start=1)
        )

    def _clarify(self, clarification: Clarification, language: Language) -> Reply:
        """A budget question asked back, with the table passages its options point to as its
        retrieved passages: where the choices come from."""
        chunk_ids = [
            place[0].id
            for option in clarification.options
            for row in self._option_rows(Scope.from_value(option.value))
            if (place := self.places.get(row)) is not None
        ]
        return replace(say.clarify(clarification, language), retrieved=self._ranked(chunk_ids))

    def _option_rows(self, option: Scope) -> list[BudgetRow]:
        keys = [("project", str(option.project))] if option.project else []
        keys += [("onderdeel", option.onderdeel)] if option.onderdeel else []
        keys += [PROGRAMME_KEY] if option.programme else []
        rows = [row for key in keys for row in self.tables.get(key, [])]
        if option.role:
            rows += [
                r for r in self.role_rows if r.role == option.role and r.organisation == option.organisation
            ]
        return rows

    def _missing(self, q: BudgetQuery) -> tuple[str, str] | None:
        """Why the tables cannot answer, if they cannot: (reason, what)."""
        unknown = [a.describe() for a in q.roles if not match_roles(a, self.role_rows)]
        unknown += [q.unknown_role] if q.unknown_role else []
        if q.salary:
            return "salary", ""
        if q.other_year:
            return "year", q.other_year
        if q.unknown_projects and not q.projects:
            return "project", str(q.unknown_projects[0])
        if foreign := [name for name in q.owners if not self._known_name(name)]:
            return "owner", foreign[0]
        return ("role", unknown[0]) if unknown else None

    def _known_name(self, name: str) -> bool:
        """In the tables, whole or by a part ("KIS-begroting")."""
        return any(part in self.known_names for part in (name.lower(), *name.lower().split("-")))

    def _name(self, key: Key) -> str:
        kind, scope = key
        if kind == "project":
            return self.catalogue.label(int(scope))
        if kind == "onderdeel":
            return f"Onderdeel {scope}. {self.titles.get(key, '')}".strip()
        return f"Totaal KIS {self.year}".strip()


def _words(texts: Sequence[str]) -> frozenset[str]:
    """Lower-cased words (hyphenated names whole) of texts: what the budget tables can be about."""
    return frozenset(w.lower() for text in texts for w in re.findall(r"[\w-]+", text))


def _role(row: BudgetRow, language: Language) -> str:
    """'senior bij Movisie' or 'senior at Movisie': the role as the table names it, and its organisation."""
    return f"{_lower(row.role)} {'bij' if language == 'nl' else 'at'} {row.organisation}"


def _asked(ask: RoleAsk, language: Language) -> str:
    """The role asked for in words; describe() joins the organisation in Dutch ('junior bij Movisie')."""
    if language == "nl" or not ask.organisation:
        return ask.describe()
    return f"{replace(ask, organisation=None).describe()} at {ask.organisation}"


def _lower(role: str | None) -> str:
    return (role or "").lower()


def _who(row: BudgetRow) -> str:
    return row.organisation or "externe projectkosten / inhuur"
