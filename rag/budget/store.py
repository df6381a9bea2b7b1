"""The budget records and their audit in one SQLite file, for exact answers instead of retrieval.

Written once per ingest (to a temp file beside the target, then swapped in, so readers never see a
half-written file); read through read-only connections opened per query, so a store may be shared
between threads and sees a re-ingested file at once.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import astuple
from pathlib import Path
from typing import Any

from rag.budget.records import BudgetTables, NumberTypo, Scope
from rag.errors import StoreError
from rag.schema import AuditFinding, BudgetRow

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE scopes (
    position INTEGER PRIMARY KEY, scope_kind TEXT NOT NULL, scope TEXT NOT NULL, title TEXT NOT NULL,
    UNIQUE (scope_kind, scope)
);
CREATE TABLE rows (
    position INTEGER PRIMARY KEY, scope_kind TEXT NOT NULL, scope TEXT NOT NULL, organisation TEXT,
    role TEXT, rate INTEGER, hours INTEGER, amount INTEGER, row_kind TEXT NOT NULL,
    line INTEGER NOT NULL, source TEXT NOT NULL
);
CREATE INDEX rows_scope ON rows (scope_kind, scope, row_kind);
CREATE TABLE findings (
    position INTEGER PRIMARY KEY, scope_kind TEXT NOT NULL, scope TEXT NOT NULL, line INTEGER NOT NULL,
    message TEXT NOT NULL, expected INTEGER, found INTEGER
);
CREATE TABLE typos (position INTEGER PRIMARY KEY, line INTEGER NOT NULL, printed TEXT NOT NULL,
    value INTEGER NOT NULL);
"""
# Column orders follow the dataclass fields, so records are stored with ``astuple``.
_ROW_COLUMNS = "scope_kind, scope, organisation, role, rate, hours, amount, row_kind, line, source"
_FINDING_COLUMNS = "scope_kind, scope, line, message, expected, found"


def save_budget(path: Path, tables: BudgetTables, findings: list[AuditFinding]) -> None:
    """Write the records and findings to ``path`` atomically; StoreError when that fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        with closing(sqlite3.connect(tmp)) as db, db:
            db.executescript(_SCHEMA)
            db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            db.executemany(
                "INSERT INTO scopes (scope_kind, scope, title) VALUES (?, ?, ?)",
                [astuple(s) for s in tables.scopes],
            )
            db.executemany(
                f"INSERT INTO rows ({_ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [astuple(r) for r in tables.rows],
            )
            db.executemany(
                f"INSERT INTO findings ({_FINDING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                [astuple(f) for f in findings],
            )
            db.executemany(
                "INSERT INTO typos (line, printed, value) VALUES (?, ?, ?)",
                [astuple(t) for t in tables.typos],
            )
        tmp.chmod(0o644)  # mkstemp makes it private; readers may run as another user
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"Begrotingsgegevens konden niet worden opgeslagen in {path}: {exc}") from exc


class BudgetStore:
    """Typed, read-only queries over a file written by ``save_budget``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise StoreError(f"Begrotingsgegevens ontbreken ({path}); voer eerst 'kis ingest' uit.")
        version = self._query("SELECT value FROM meta WHERE key = 'schema'")
        if version != [(SCHEMA_VERSION,)]:
            raise StoreError(
                f"Begrotingsbestand {path} heeft een onbekende opbouw; voer 'kis ingest' opnieuw uit."
            )

    def rows(
        self,
        scope_kind: str | None = None,
        scope: str | None = None,
        organisation: str | None = None,
        role: str | None = None,
        row_kind: str | None = None,
    ) -> list[BudgetRow]:
        """Rows in document order; every given filter must match (``role`` case-insensitively)."""
        where, args = _filters(
            scope_kind=scope_kind, scope=scope, organisation=organisation, row_kind=row_kind
        )
        if role is not None:
            where.append("lower(role) = lower(?)")
            args.append(role)
        sql = f"SELECT {_ROW_COLUMNS} FROM rows {_where(where)} ORDER BY position"
        return [BudgetRow(*r) for r in self._query(sql, args)]

    def scopes(self) -> list[Scope]:
        return [
            Scope(*r) for r in self._query("SELECT scope_kind, scope, title FROM scopes ORDER BY position")
        ]

    def total(self, scope_kind: str, scope: str) -> BudgetRow | None:
        """The total as the table states it (not a sum), or None when the scope has none."""
        found = self.rows(scope_kind=scope_kind, scope=scope, row_kind="total")
        return found[0] if found else None

    def findings(self, scope_kind: str | None = None, scope: str | None = None) -> list[AuditFinding]:
        where, args = _filters(scope_kind=scope_kind, scope=scope)
        sql = f"SELECT {_FINDING_COLUMNS} FROM findings {_where(where)} ORDER BY line, position"
        return [AuditFinding(*r) for r in self._query(sql, args)]

    def project_totals(self) -> list[tuple[Scope, int]]:
        """Each project with its stated total, by project number."""
        sql = (
            "SELECT s.scope_kind, s.scope, s.title, r.amount FROM scopes s JOIN rows r "
            "ON r.scope_kind = s.scope_kind AND r.scope = s.scope AND r.row_kind = 'total' "
            "WHERE s.scope_kind = 'project' AND r.amount IS NOT NULL ORDER BY CAST(s.scope AS INTEGER)"
        )
        return [(Scope(kind, scope, title), amount) for kind, scope, title, amount in self._query(sql)]

    def typos(self) -> list[NumberTypo]:
        """Figures printed in irregular notation, as read."""
        return [
            NumberTypo(*r) for r in self._query("SELECT line, printed, value FROM typos ORDER BY position")
        ]

    def _query(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            with closing(sqlite3.connect(uri, uri=True)) as db:
                return db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"Begrotingsbestand {self.path} is onleesbaar of beschadigd: {exc}") from exc


def _filters(**values: str | None) -> tuple[list[str], list[Any]]:
    given = {column: value for column, value in values.items() if value is not None}
    return [f"{column} = ?" for column in given], list(given.values())


def _where(conditions: list[str]) -> str:
    return f"WHERE {' AND '.join(conditions)}" if conditions else ""
