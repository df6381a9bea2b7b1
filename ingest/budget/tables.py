"""The work plan's budget tables read into exact records, one per printed row.

The PDF text flattens every table: a cell wraps over several lines, words break with a hyphen at a
line end, and two-column pages move a project's "7. Begroting" away from its heading. A row is
therefore read up to the line that ends in its numbers, so each figure keeps the line it was printed
on and answers can cite it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rag.budget.records import BudgetTables, NumberTypo, Scope
from rag.errors import SourceError
from rag.language.numbers import is_regular_dutch_number, parse_dutch_number
from rag.schema import BudgetRow

VJI = "Verwey-Jonker Instituut"
MOVISIE = "Movisie"
PROGRAMME = ("programma", "totaal")

_NUM = r"\d+(?:\.+\d+)*"
_ROW_3 = re.compile(rf"^(?P<label>.*?)\s*(?P<n1>{_NUM})\s+(?P<n2>{_NUM})\s+(?P<n3>{_NUM})$")
_ROW_4 = re.compile(rf"^(?P<label>.*?)\s*(?P<n1>{_NUM})\s+(?P<n2>{_NUM})\s+(?P<n3>{_NUM})\s+(?P<n4>{_NUM})$")
_ROW_1 = re.compile(rf"^(?P<label>.*?)\s*(?P<n1>{_NUM})$")
_EURO_END = re.compile(rf"^(?P<label>.*?)\s*€\s*(?P<n1>{_NUM})$")
_TABLE_HEADER = re.compile(r"^Organisatie\s+Onderzoeker\b")
_ONDERDEEL = re.compile(r"^Onderdeel ([A-E])\.\s+(.+)$")
_OVERVIEW = re.compile(r"^Totaal overzichten? begroting", re.I)
_BASIS = re.compile(rf"basisbedrag.*?€\s*({_NUM})")
_BREAKDOWN = re.compile(r"uitsplitsing van de uren en bedragen naar functieniveau", re.I)
_APPENDIX = re.compile(r"^Bijlage\b")
_PROJECT = re.compile(r"^Project (\d+)\.\s+(.+)$")
_PROJECT_TABLE = re.compile(r"^7\.\s*Begroting$")
_ORG = re.compile(r"^(Verwey-Jonker(?: Instituut)?|Movisie)\b\s*(.*)$")
_BULLET = re.compile("^[\ufffd•●▪■◦·]\\s*")
# Spellings of one role that differ between tables, keyed by their letters only.
_ROLE_SPELLING = {"communicatieadviseur": "Communicatieadviseur"}


@dataclass(frozen=True)
class _Printed:
    """One printed row before classification: its label, figures, first line and text."""

    label: str
    numbers: tuple[str, ...]
    line: int  # 1-based
    source: str


def parse_budget(raw: str) -> BudgetTables:
    """All budget tables of the work plan text; SourceError when it holds none."""
    lines = [line.strip() for line in raw.split("\n")]
    reader = _Reader(lines)
    reader.read()
    if not reader.rows:
        raise SourceError("Geen begrotingstabel gevonden in het werkplan.")
    return BudgetTables(tuple(reader.rows), tuple(reader.scopes), tuple(reader.typos))


def _join_wrapped(parts: list[str]) -> str:
    """Cell text wrapped over lines, joined: 'communi-' + 'catieadviseur' loses its hyphen,
    'Verwey-' + 'Jonker' and 'Junior/' + 'medior' join without a space."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text.endswith("-") and part[0].islower() and text[-2:-1].isalpha():
            text = text[:-1] + part
        elif text.endswith(("-", "/")) or not text:
            text += part
        else:
            text += " " + part
    return re.sub(r"\s+", " ", text)


class _Reader:
    """One pass over the lines, collecting rows, scopes and irregular figures."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.rows: list[BudgetRow] = []
        self.scopes: list[Scope] = []
        self.typos: list[NumberTypo] = []

    def read(self) -> None:
        appendix = next((i for i, t in enumerate(self.lines) if _APPENDIX.match(t)), len(self.lines))
        for i, text in enumerate(self.lines[:appendix]):
            if m := _ONDERDEEL.match(text):
                self._table(i + 1, ("onderdeel", m[1]), m[2])
            elif _OVERVIEW.match(text):
                self._overview(i + 1, text)
            elif "basisbedrag" in text:
                self._additions(i)
            elif _BREAKDOWN.search(text):
                self._table(i + 1, PROGRAMME, "Totaal KIS 2026")
        for (number, title), start in self._project_tables(appendix):
            self._table(start, ("project", number), title)

    # --- finding the tables -----------------------------------------------------------------

    def _project_tables(self, appendix: int) -> list[tuple[tuple[str, str], int]]:
        """Project headings paired in order with the "7. Begroting" tables of the appendix.

        Two-column pages put some tables after the next project's heading (project 8 has none in
        its own text, project 10 has two), but the tables keep the projects' order, so the k-th
        table belongs to the k-th project.
        """
        headings: list[tuple[str, str, int]] = []
        tables: list[int] = []
        for i in range(appendix, len(self.lines)):
            if m := _PROJECT.match(self.lines[i]):
                headings.append((m[1], self._heading(i, m[2]), i))
            elif _PROJECT_TABLE.match(self.lines[i]):
                tables.append(i + 1)
        if len(headings) != len(tables):
            raise SourceError(
                f"Het werkplan heeft {len(headings)} projecten maar {len(tables)} projectbegrotingen; "
                "de begrotingen zijn niet aan projecten toe te wijzen."
            )
        for (number, _, at), start in zip(headings, tables, strict=True):
            if start < at:
                raise SourceError(f"De begroting op regel {start} staat vóór project {number}.")
        return [((number, title), start) for (number, title, _), start in zip(headings, tables, strict=True)]

    def _heading(self, i: int, first: str) -> str:
        parts = [first]
        for text in self.lines[i + 1 : i + 4]:
            if not text:
                break
            parts.append(text)
        return _join_wrapped(parts)

    # --- reading the tables -----------------------------------------------------------------

    def _printed_rows(self, start: int, pattern: re.Pattern[str], *, last: str) -> Iterator[_Printed]:
        """Rows from ``start`` on, each ending at a line matching ``pattern``, up to the row whose
        label starts with ``last``."""
        pending: list[int] = []
        for i in range(start, len(self.lines)):
            text = self.lines[i]
            if not text or _TABLE_HEADER.match(text):
                continue
            m = pattern.match(text) or _ROW_1.match(text)
            if m is None:
                pending.append(i)
                if len(pending) > 6:
                    raise SourceError(f"Onleesbare begrotingsregel rond regel {pending[0] + 1}.")
                continue
            first = pending[0] if pending else i
            label = _join_wrapped([self.lines[j] for j in pending] + [m["label"]])
            numbers = tuple(v for k, v in m.groupdict().items() if k != "label")
            source = _join_wrapped([self.lines[j] for j in [*pending, i]])
            pending = []
            self._note_typos(i + 1, numbers)
            yield _Printed(label, numbers, first + 1, source)
            if label.startswith(last):
                return
        raise SourceError(f"Begrotingstabel vanaf regel {start + 1} heeft geen totaalregel.")

    def _note_typos(self, line: int, numbers: tuple[str, ...]) -> None:
        for printed in numbers:
            if not is_regular_dutch_number(printed):
                self.typos.append(NumberTypo(line, printed, parse_dutch_number(printed)))

    def _table(self, start: int, scope: tuple[str, str], title: str) -> None:
        kind, name = scope
        self.scopes.append(Scope(kind, name, title))
        organisation: str | None = None
        for row in self._printed_rows(start, _ROW_3, last="Totaal Project"):
            values = [parse_dutch_number(n) for n in row.numbers]
            row_kind, org, role = _classify(row, organisation)
            if (len(values) == 3) != (row_kind in ("line", "stafkosten", "overhead")):
                raise SourceError(f"Begrotingsregel {row.line} heeft onverwacht {len(values)} bedragen.")
            if row_kind == "line":
                organisation = org  # a later line without organisation continues this block
            elif row_kind == "subtotal":
                organisation = None
            rate, hours = (values[0], values[1]) if len(values) == 3 else (None, None)
            amount = values[-1]
            self.rows.append(
                BudgetRow(kind, name, org, role, rate, hours, amount, row_kind, row.line, row.source)
            )

    def _overview(self, start: int, heading: str) -> None:
        """The overview: one row per onderdeel with Movisie, Verwey-Jonker, external and total."""
        header: list[str] = []
        i = start
        while i < len(self.lines) and "Totaal (€)" not in self.lines[i]:
            header.append(self.lines[i])
            i += 1
        columns = _overview_columns(_join_wrapped([*header, self.lines[i] if i < len(self.lines) else ""]))
        for row in self._printed_rows(i + 1, _ROW_4, last="Totaal"):
            if len(row.numbers) != 4:
                raise SourceError(f"Overzichtsregel {row.line} heeft geen vier bedragen.")
            m = re.match(r"^([A-E])\b\s*(.*)$", row.label)
            if m:
                name = m[1]
                self.scopes.append(Scope("overzicht", name, m[2]))
            elif row.label.startswith("Totaal"):
                name = "totaal"
                self.scopes.append(Scope("overzicht", name, heading))
            else:
                raise SourceError(f"Overzichtsregel {row.line} noemt geen onderdeel.")
            for (row_kind, org), printed in zip(columns, row.numbers, strict=True):
                amount = parse_dutch_number(printed)
                self.rows.append(
                    BudgetRow(
                        "overzicht", name, org, None, None, None, amount, row_kind, row.line, row.source
                    )
                )

    def _additions(self, i: int) -> None:
        """The sentence 'Dit totaalbedrag bestaat uit het basisbedrag … en additionele bedragen voor:'
        and the bulleted amounts under it, each amount at the end of its item or on the next line."""
        first = i
        sentence = [self.lines[i]]
        while not sentence[-1].endswith(":") and i + 1 < len(self.lines) and len(sentence) < 4:
            i += 1
            sentence.append(self.lines[i])
        text = _join_wrapped(sentence)
        m = _BASIS.search(text)
        if m is None:
            raise SourceError(f"Het basisbedrag op regel {i + 1} is niet te lezen.")
        basis = parse_dutch_number(m[1])
        self.scopes.append(Scope("basis", "2026", "Basisbedrag 2026"))
        self.rows.append(BudgetRow("basis", "2026", None, None, None, None, basis, "total", first + 1, text))
        pending: list[int] = []
        for j in range(i + 1, len(self.lines)):
            line = self.lines[j]
            if not line:
                continue
            if not pending and not _BULLET.match(line):
                return
            pending.append(j)
            if m := _EURO_END.match(line):
                item = _join_wrapped([_BULLET.sub("", self.lines[k]) for k in pending[:-1]] + [m["label"]])
                item = _BULLET.sub("", item)
                source = _join_wrapped([_BULLET.sub("", self.lines[k]) for k in pending])
                self._note_typos(j + 1, (m["n1"],))
                self.scopes.append(Scope("aanvulling", item, item))
                amount = parse_dutch_number(m["n1"])
                self.rows.append(
                    BudgetRow(
                        "aanvulling", item, None, None, None, None, amount, "total", pending[0] + 1, source
                    )
                )
                pending = []


def _classify(row: _Printed, organisation: str | None) -> tuple[str, str | None, str | None]:
    """(row_kind, organisation, role) of a table row from its label."""
    label = row.label
    for prefix, row_kind in (("Stafkosten", "stafkosten"), ("Overhead", "overhead")):
        if label.startswith(prefix):
            return row_kind, _organisation(label.removeprefix(prefix).strip(), row), prefix
    if label.startswith("Totaal Project"):
        return "total", None, None
    if label.startswith("Totaal "):
        return "subtotal", _organisation(label.removeprefix("Totaal ").strip(), row), None
    if label.startswith("Externe projectkosten"):
        return "external", None, None
    m = _ORG.match(label)
    org, role = (_organisation(m[1], row), m[2]) if m else (organisation, label)
    if org is None or not role:
        raise SourceError(f"Begrotingsregel {row.line} noemt geen organisatie of functie: {row.source!r}")
    return "line", org, _role(role)


def _organisation(text: str, row: _Printed) -> str:
    if text.startswith("Verwey-Jonker"):
        return VJI
    if text.startswith(MOVISIE):
        return MOVISIE
    raise SourceError(f"Onbekende organisatie op begrotingsregel {row.line}: {text!r}")


def _role(text: str) -> str:
    key = re.sub(r"[\s-]", "", text).lower()
    spelled = _ROLE_SPELLING.get(key, text)
    return spelled[:1].upper() + spelled[1:]


def _overview_columns(header: str) -> list[tuple[str, str | None]]:
    """(row_kind, organisation) of the overview's four figure columns, in printed order."""
    found = [
        (header.find(word), column)
        for word, column in (
            (MOVISIE, ("subtotal", MOVISIE)),
            ("Verwey-Jonker", ("subtotal", VJI)),
            ("Externe", ("external", None)),
            ("Totaal", ("total", None)),
        )
    ]
    if any(at < 0 for at, _ in found):
        raise SourceError(f"Kolommen van het begrotingsoverzicht niet herkend: {header!r}")
    return [column for _, column in sorted(found, key=lambda f: f[0])]
