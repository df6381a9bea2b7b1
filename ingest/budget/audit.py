"""Arithmetic audit of the budget tables: every printed figure against the figures it follows from.

Checks run from the rows up: rate × hours, staff hours, subtotals, totals, the overview, the
programme-wide breakdown, onderdeel A against the project plans, project totals against the list of
additional amounts. A figure found wrong is replaced by its corrected value for the later checks, so
one misprint gives one finding instead of a cascade through every sum above it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from rag.language.numbers import format_number as _n
from rag.schema import AuditFinding, BudgetRow

if TYPE_CHECKING:
    from rag.budget.records import BudgetTables

TABLES = ("onderdeel", "programma", "project")
STAFF = ("stafkosten", "overhead")
_NUM = re.compile(r"\d+(?:\.+\d+)*")
# An additional amount that extends a project or co-finances a part is not the project's budget.
_PARTIAL = re.compile(r"^(Uitbreiding|Cofinanciering)\b", re.I)

Key = tuple[str, str | None, int | None]
_KIND_NL = {
    "line": "regel",
    "stafkosten": "stafkosten",
    "overhead": "overhead",
    "subtotal": "totaal",
    "external": "externe projectkosten / inhuur",
    "total": "totaal",
}


def audit_budget(tables: BudgetTables) -> list[AuditFinding]:
    """Every arithmetic inconsistency of the tables, in document order."""
    audit = _Audit(tables.rows, {(s.scope_kind, s.scope): s.title for s in tables.scopes})
    audit.run()
    return sorted(audit.findings, key=lambda f: f.line)


class _Audit:
    def __init__(self, rows: Iterable[BudgetRow], titles: dict[tuple[str, str], str]) -> None:
        self.titles = titles
        self.scopes: dict[tuple[str, str], list[BudgetRow]] = defaultdict(list)
        for row in rows:
            self.scopes[(row.scope_kind, row.scope)].append(row)
        self.fixed_hours: dict[BudgetRow, int] = {}
        self.fixed: dict[BudgetRow, int] = {}  # corrected amounts
        self.findings: list[AuditFinding] = []
        self.finding_of: dict[BudgetRow, int] = {}

    def run(self) -> None:
        for (kind, _), rows in self.scopes.items():
            if kind in TABLES:
                for org in dict.fromkeys(r.organisation for r in rows if r.organisation):
                    self._block([r for r in rows if r.organisation == org])
                self._total(rows)
        self._overview()
        self._composition()
        self._onderdelen_vs_programme()
        self._projects_vs_onderdeel()
        self._projects_vs_additions()

    # --- bookkeeping ------------------------------------------------------------------------

    def hours(self, row: BudgetRow) -> int:
        return self.fixed_hours.get(row, row.hours or 0)

    def amount(self, row: BudgetRow) -> int:
        return self.fixed.get(row, row.amount or 0)

    def rows(self, kind: str, scope: str, *row_kinds: str) -> list[BudgetRow]:
        return [r for r in self.scopes.get((kind, scope), []) if not row_kinds or r.row_kind in row_kinds]

    def report(self, row: BudgetRow, message: str, expected: int | None, found: int | None) -> None:
        self.finding_of.setdefault(row, len(self.findings))
        text = f"{_where(row)}: {message}"
        self.findings.append(AuditFinding(row.scope_kind, row.scope, row.line, text, expected, found))

    def note(self, row: BudgetRow, text: str) -> None:
        """Add what a later check learned to the finding about ``row``."""
        at = self.finding_of[row]
        self.findings[at] = replace(self.findings[at], message=f"{self.findings[at].message}; {text}")

    # --- within a table ---------------------------------------------------------------------

    def _block(self, block: list[BudgetRow]) -> None:
        """One organisation's rows: lines, staff costs, overhead and its subtotal."""
        lines = [r for r in block if r.row_kind == "line"]
        line_hours = sum(self.hours(r) for r in lines)
        for row in lines:
            self._product(row)
        for row in block:
            if row.row_kind in STAFF:
                self._staff(row, line_hours)
        for row in block:
            if row.row_kind == "subtotal":
                self._subtotal(row, [r for r in block if r.row_kind != "subtotal"])

    def _product(self, row: BudgetRow) -> None:
        rate, hours, amount = row.rate or 0, row.hours or 0, row.amount or 0
        if rate * hours != amount:
            self.fixed[row] = rate * hours
            self.report(
                row,
                f"{rate} × {_n(hours)} = {_n(rate * hours)}, in de tabel staat {_shown(row)}",
                rate * hours,
                amount,
            )

    def _staff(self, row: BudgetRow, line_hours: int) -> None:
        """Staff costs and overhead are charged on all hours of the lines above them."""
        rate, hours, amount = row.rate or 0, row.hours or 0, row.amount or 0
        if hours == line_hours:
            self._product(row)
            return
        self.fixed_hours[row] = line_hours
        if amount == rate * line_hours:
            self.report(
                row,
                f"{rate} × {_n(hours)} = {_n(rate * hours)}, in de tabel staat {_shown(row)} "
                f"(= {rate} × {_n(line_hours)}): de uren tellen op tot {_n(line_hours)}, niet {_n(hours)}",
                line_hours,
                hours,
            )
            return
        self.fixed[row] = rate * line_hours
        self.report(
            row,
            f"de uren tellen op tot {_n(line_hours)}, niet {_n(hours)}: {rate} × {_n(line_hours)} = "
            f"{_n(rate * line_hours)}, in de tabel staat {_shown(row)}",
            rate * line_hours,
            amount,
        )

    def _subtotal(self, subtotal: BudgetRow, parts: list[BudgetRow]) -> None:
        expected = sum(self.amount(r) for r in parts)
        printed = sum(r.amount or 0 for r in parts)
        found = subtotal.amount or 0
        if found == expected:
            for row in parts:
                if self.fixed.get(row, row.amount) != row.amount:
                    self.note(row, f"het {_who(subtotal)} ({_n(found)}) rekent met {_n(self.amount(row))}")
            return
        self.fixed[subtotal] = expected
        if printed == expected:
            detail = f"de bedragen tellen op tot {_n(expected)}, in de tabel staat {_shown(subtotal)}"
        elif printed == found:
            detail = (
                f"met uurtarief × uren tellen de bedragen op tot {_n(expected)}, in de tabel staat "
                f"{_shown(subtotal)} (de som van de gedrukte bedragen)"
            )
        else:
            detail = (
                f"met uurtarief × uren tellen de bedragen op tot {_n(expected)} (de gedrukte tot "
                f"{_n(printed)}), in de tabel staat {_shown(subtotal)}"
            )
        self.report(subtotal, detail, expected, found)

    def _total(self, rows: list[BudgetRow]) -> None:
        """Organisation subtotals plus external costs against the table's total."""
        parts = [r for r in rows if r.row_kind in ("subtotal", "external")]
        for total in (r for r in rows if r.row_kind == "total"):
            expected = sum(self.amount(r) for r in parts)
            found = total.amount or 0
            if found == expected or self._overview_explains(total, parts, expected):
                continue
            self.fixed[total] = expected
            terms = " + ".join(_n(self.amount(r)) for r in parts)
            corrected = [_who(r) for r in parts if r in self.fixed]
            why = f" (met het herberekende {' en '.join(corrected)})" if corrected else ""
            self.report(
                total, f"{terms} = {_n(expected)}{why}, in de tabel staat {_shown(total)}", expected, found
            )

    def _overview_explains(self, total: BudgetRow, parts: list[BudgetRow], expected: int) -> bool:
        """A table cell the overview prints differently, and with which the table's total adds up:
        then the cell is the misprint, not the total."""
        if total.scope_kind != "onderdeel":
            return False
        overview = {(r.row_kind, r.organisation): r for r in self.rows("overzicht", total.scope)}
        for part in parts:
            other = overview.get((part.row_kind, part.organisation))
            if other is None or other.amount is None or other.amount == self.amount(part):
                continue
            if expected - self.amount(part) + other.amount == total.amount:
                self.fixed[part] = other.amount
                self.report(
                    part,
                    f"in de tabel staat {_shown(part)}, in het totaaloverzicht {_n(other.amount)}; "
                    f"het totaal {_n(total.amount)} rekent met {_n(other.amount)}",
                    other.amount,
                    part.amount,
                )
                return True
        return False

    # --- across tables ----------------------------------------------------------------------

    def _overview(self) -> None:
        """Overview cells against the onderdeel tables, its rows and columns against its totals,
        and its totals against the programme-wide breakdown."""
        letters = [scope for kind, scope in self.scopes if kind == "overzicht" and scope != "totaal"]
        for letter in letters:
            table = {(r.row_kind, r.organisation): r for r in self.rows("onderdeel", letter)}
            for cell in self.rows("overzicht", letter):
                source = table.get((cell.row_kind, cell.organisation))
                if source is not None and self.amount(source) != cell.amount:
                    self.fixed[cell] = self.amount(source)
                    self.report(
                        cell,
                        f"in het overzicht staat {_n(cell.amount or 0)}, in de tabel van "
                        f"onderdeel {letter} {_n(self.amount(source))}",
                        self.amount(source),
                        cell.amount,
                    )
            self._sum_check(
                self.rows("overzicht", letter, "total"),
                self.rows("overzicht", letter, "subtotal", "external"),
                "de kolommen tellen op tot",
            )
        for cell in self.rows("overzicht", "totaal"):
            column = [
                r
                for letter in letters
                for r in self.rows("overzicht", letter)
                if (r.row_kind, r.organisation) == (cell.row_kind, cell.organisation)
            ]
            self._sum_check([cell], column, "de onderdelen tellen op tot")
            programme = [
                r
                for r in self.rows("programma", "totaal", cell.row_kind)
                if r.organisation == cell.organisation
            ]
            for row in programme:
                if self.amount(row) != self.amount(cell):
                    self.report(
                        cell,
                        f"in het overzicht staat {_n(cell.amount or 0)}, in de uitsplitsing naar "
                        f"functieniveau {_n(self.amount(row))}",
                        self.amount(row),
                        cell.amount,
                    )

    def _sum_check(self, totals: list[BudgetRow], parts: list[BudgetRow], words: str) -> None:
        expected = sum(self.amount(r) for r in parts)
        for total in totals:
            if self.amount(total) != expected:
                self.fixed[total] = expected
                self.report(
                    total, f"{words} {_n(expected)}, er staat {_n(total.amount or 0)}", expected, total.amount
                )

    def _composition(self) -> None:
        """Basisbedrag plus the additional amounts make up the programme total."""
        basis = self.rows("basis", "2026")
        additions = [r for (kind, _), rows in self.scopes.items() if kind == "aanvulling" for r in rows]
        totals = self.rows("programma", "totaal", "total")
        if not basis or not totals:
            return
        found = sum(self.amount(r) for r in basis + additions)
        expected = self.amount(totals[0])
        if found != expected:
            self.report(
                basis[0],
                f"basisbedrag {_n(self.amount(basis[0]))} plus de additionele bedragen "
                f"is {_n(found)}, het programmatotaal is {_n(expected)}",
                expected,
                found,
            )

    def _onderdelen_vs_programme(self) -> None:
        """The five onderdelen together against the programme-wide breakdown."""
        onderdelen = [r for (kind, _), rows in self.scopes.items() if kind == "onderdeel" for r in rows]
        programme = self.rows("programma", "totaal")
        self._against_sum(
            programme, onderdelen, "de vijf onderdelen", self.rows("programma", "totaal", "total")
        )

    def _projects_vs_onderdeel(self) -> None:
        """The onderdeel of the projects holds the hours and external costs of all project plans."""
        projects = [
            r
            for (kind, _), rows in self.scopes.items()
            if kind == "project"
            for r in rows
            if r.row_kind in ("line", "external")
        ]
        for (kind, scope), title in self.titles.items():
            if kind == "onderdeel" and "projecten" in title.lower():
                targets = self.rows(kind, scope, "line", "external")
                self._against_sum(targets, projects, "de projectbegrotingen", self.rows(kind, scope, "total"))

    def _against_sum(
        self, targets: list[BudgetRow], parts: list[BudgetRow], whose: str, totals: list[BudgetRow]
    ) -> None:
        """Each target row against the parts with its key, hours first (amounts follow from them);
        what only the parts have is reported on the targets' total row."""
        sums: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
        for row in parts:
            sums[_key(row)][0] += self.hours(row)
            sums[_key(row)][1] += self.amount(row)
        for row in targets:
            hours, amount = sums.pop(_key(row), [0, 0])
            if row.hours is not None and hours != self.hours(row):
                mine, together, unit = self.hours(row), hours, " uur"
            elif amount != self.amount(row):
                mine, together, unit = self.amount(row), amount, ""
            else:
                continue
            self.report(
                row, f"{_n(mine)}{unit} in de tabel, {whose} samen {_n(together)}{unit}", together, mine
            )
        for total in totals:
            for (row_kind, org, rate), (hours, amount) in sums.items():
                name = " ".join(filter(None, (_KIND_NL[row_kind], org)))
                what = f"{org} à {rate} per uur: {_n(hours)} uur" if rate else f"{name}: {_n(amount)}"
                self.report(total, f"{whose} hebben {what}, de tabel niet", None, amount)

    def _projects_vs_additions(self) -> None:
        """An additional amount that names a whole project is that project's budget."""
        projects = {scope: _words(title) for (kind, scope), title in self.titles.items() if kind == "project"}
        for (kind, name), rows in self.scopes.items():
            if kind != "aanvulling" or _PARTIAL.match(name):
                continue
            words = _words(re.sub(r"\(.*?\)", " ", name))
            named = [scope for scope, title in projects.items() if words <= title]
            if len(named) != 1:
                continue
            for total in self.rows("project", named[0], "total"):
                if self.amount(total) != self.amount(rows[0]):
                    self.report(
                        total,
                        f"het projecttotaal is {_n(self.amount(total))}, bij de additionele "
                        f"bedragen staat ‘{name}’ € {_n(self.amount(rows[0]))}",
                        self.amount(rows[0]),
                        self.amount(total),
                    )


def _key(row: BudgetRow) -> Key:
    """Rows that add up across tables: lines by organisation and rate (role names differ between
    tables), other rows by kind and organisation."""
    return (row.row_kind, row.organisation, row.rate if row.row_kind == "line" else None)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower().replace("’", "'")))


def _shown(row: BudgetRow) -> str:
    """The amount as printed, typos included ('19..995')."""
    if row.scope_kind in TABLES:
        printed = _NUM.findall(row.source)
        if printed:
            return str(printed[-1])
    return _n(row.amount or 0)


def _where(row: BudgetRow) -> str:
    scope = {
        "onderdeel": f"Onderdeel {row.scope}",
        "project": f"Project {row.scope}",
        "programma": "Begroting KIS 2026, uitsplitsing naar functieniveau",
        "overzicht": f"Totaaloverzicht, {'totaal' if row.scope == 'totaal' else f'onderdeel {row.scope}'}",
        "basis": "Basisbedrag 2026",
    }.get(row.scope_kind, f"Additioneel bedrag ‘{row.scope}’")
    return f"{scope}, {_who(row)}" if row.row_kind != "total" or row.scope_kind in TABLES else scope


def _who(row: BudgetRow) -> str:
    if row.row_kind in ("line", *STAFF):
        return f"{row.organisation} {row.role}"
    if row.row_kind == "subtotal":
        return f"totaal {row.organisation}" if row.scope_kind in TABLES else str(row.organisation)
    if row.row_kind == "external":
        return "externe projectkosten / inhuur"
    return "totaal"
