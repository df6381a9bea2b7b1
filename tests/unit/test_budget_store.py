"""The SQLite budget store: a round trip of the real work plan, and clear errors on bad files."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.budget.audit import audit_budget
from ingest.budget.tables import parse_budget
from rag.budget.records import BudgetTables, Scope
from rag.budget.store import BudgetStore, save_budget
from rag.errors import StoreError
from rag.schema import AuditFinding

WERKPLAN = Path(__file__).resolve().parents[2] / "corpus" / "werkplan-2026.txt"


@pytest.fixture(scope="module")
def tables() -> BudgetTables:
    return parse_budget(WERKPLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def findings(tables: BudgetTables) -> list[AuditFinding]:
    return audit_budget(tables)


@pytest.fixture
def store(tmp_path: Path, tables: BudgetTables, findings: list[AuditFinding]) -> BudgetStore:
    path = tmp_path / "budget" / "budget.sqlite"
    save_budget(path, tables, findings)
    return BudgetStore(path)


def test_everything_saved_comes_back(
    store: BudgetStore, tables: BudgetTables, findings: list[AuditFinding]
) -> None:
    assert store.rows() == list(tables.rows)
    assert store.scopes() == list(tables.scopes)
    assert store.findings() == sorted(findings, key=lambda f: f.line)
    assert store.typos() == list(tables.typos)


def test_stated_totals(store: BudgetStore) -> None:
    total = store.total("project", "3")
    assert total is not None
    assert (total.amount, total.line, total.source) == (121461, 1817, "Totaal Project 121.461")
    programme = store.total("programma", "totaal")
    assert programme is not None and programme.amount == 2927296
    assert store.total("project", "99") is None


def test_project_totals_in_project_order(store: BudgetStore) -> None:
    totals = store.project_totals()
    assert [scope.scope for scope, _ in totals] == [str(n) for n in range(1, 15)]
    by_number = {scope.scope: amount for scope, amount in totals}
    assert (by_number["1"], by_number["2"], by_number["5"], by_number["11"], by_number["14"]) == (
        169839,
        88146,
        87325,
        159965,
        99970,
    )
    assert totals[2][0] == Scope(
        "project", "3", "Polarisatie begrijpen, voorkomen en aanpakken: Van theorie naar praktijk"
    )


def test_row_filters(store: BudgetStore) -> None:
    seniors = store.rows(
        scope_kind="onderdeel", scope="A", organisation="Verwey-Jonker Instituut", role="senior onderzoeker"
    )
    assert [(r.rate, r.hours, r.amount) for r in seniors] == [(132, 1727, 227964)]
    organisations = store.rows(scope_kind="programma", row_kind="subtotal")
    assert [(r.organisation, r.amount) for r in organisations] == [
        ("Verwey-Jonker Instituut", 1459658),
        ("Movisie", 1218197),
    ]
    assert len(store.rows(row_kind="line", scope_kind="project", scope="13")) == 6
    assert store.rows(organisation="Onbekend") == []


def test_findings_by_scope(store: BudgetStore) -> None:
    project_9 = store.findings("project", "9")
    assert [f.line for f in project_9] == [2879, 2885, 2887, 2893, 2896, 2899, 2921]
    assert {f.scope for f in store.findings("onderdeel")} == {"A", "B", "E"}
    assert store.findings("project", "3") == []


def test_saving_again_replaces_the_file_whole(
    tmp_path: Path, tables: BudgetTables, findings: list[AuditFinding]
) -> None:
    path = tmp_path / "budget.sqlite"
    save_budget(path, tables, findings)
    save_budget(path, replace(tables, rows=tables.rows[:3]), [])
    store = BudgetStore(path)
    assert len(store.rows()) == 3 and store.findings() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.sqlite"]


def test_a_failed_save_leaves_the_old_file_and_no_debris(
    tmp_path: Path, tables: BudgetTables, findings: list[AuditFinding]
) -> None:
    path = tmp_path / "budget.sqlite"
    save_budget(path, tables, findings)
    duplicate_scope = replace(tables, scopes=(*tables.scopes, tables.scopes[0]))
    with pytest.raises(StoreError, match="konden niet worden opgeslagen"):
        save_budget(path, duplicate_scope, findings)
    assert len(BudgetStore(path).rows()) == len(tables.rows)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.sqlite"]


def test_a_missing_store_is_reported_in_dutch(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Begrotingsgegevens ontbreken"):
        BudgetStore(tmp_path / "budget.sqlite")


def test_a_corrupt_store_is_reported_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "budget.sqlite"
    path.write_bytes(b"dit is geen sqlite-bestand" * 100)
    with pytest.raises(StoreError, match="onleesbaar of beschadigd"):
        BudgetStore(path)


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "budget.sqlite"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('schema', '0')")
    with pytest.raises(StoreError, match="onbekende opbouw"):
        BudgetStore(path)


def test_the_store_only_reads(store: BudgetStore) -> None:
    before = store.path.stat().st_mtime_ns
    store.rows()
    store.findings()
    assert store.path.stat().st_mtime_ns == before
    with pytest.raises(StoreError):
        store._query("DELETE FROM rows")
