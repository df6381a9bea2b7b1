"""The budget records as ingest writes them and the reader loads them: rows, their tables' scopes,
figures printed in irregular notation."""

from __future__ import annotations

from dataclasses import dataclass

from rag.schema import BudgetRow


@dataclass(frozen=True)
class Scope:
    """What a table is about: ("onderdeel", "A"), ("project", "3"), ("programma", "totaal"),
    ("overzicht", "A"), ("basis", "2026") for the base amount, ("aanvulling", "<text>")."""

    scope_kind: str
    scope: str
    title: str


@dataclass(frozen=True)
class NumberTypo:
    """A figure printed in irregular notation ('19..995', '1255'), read as printed."""

    line: int
    printed: str
    value: int


@dataclass(frozen=True)
class BudgetTables:
    """Every budget row of the work plan with the scopes they belong to."""

    rows: tuple[BudgetRow, ...]
    scopes: tuple[Scope, ...]
    typos: tuple[NumberTypo, ...] = ()
