"""Every run recorded in one SQLite file, so runs can be listed and compared over time.

A run is stored whole (its results.json form) next to a row per item, so history survives the
deletion of an output directory and per-item trends can be queried with plain SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from evals.errors import RunNotFoundError
from evals.results import RunResult, run_from_dict, run_to_dict

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    started_at TEXT NOT NULL,
    gold_path TEXT NOT NULL,
    gold_sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    n_items INTEGER NOT NULL,
    pass_rate REAL,
    out_dir TEXT,
    metrics_json TEXT NOT NULL,
    result_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS item_results (
    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    outcome TEXT NOT NULL,
    passed INTEGER NOT NULL,
    scores_json TEXT NOT NULL,
    error TEXT,
    PRIMARY KEY (run_id, item_id)
);
"""


@dataclass(frozen=True)
class RunSummary:
    """A run as listed: enough to pick one for ``compare`` or ``gate``."""

    run_id: str
    label: str
    started_at: str
    source: str
    n_items: int
    pass_rate: float | None
    out_dir: str | None


class History:
    """The run history in one SQLite file, created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.executescript(_SCHEMA)
            with connection:
                yield connection
        finally:
            connection.close()

    def record(self, run: RunResult, out_dir: Path | None = None) -> None:
        """Store a run and one row per item."""
        overall = run.metrics.overall
        with self._connect() as db:
            db.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.label,
                    run.started_at,
                    run.gold_path,
                    run.gold_sha256,
                    run.source,
                    len(run.items),
                    overall.get("pass_rate"),
                    str(out_dir) if out_dir else None,
                    json.dumps(run_to_dict(run)["metrics"]),
                    json.dumps(run_to_dict(run), ensure_ascii=False),
                ),
            )
            db.executemany(
                "INSERT INTO item_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run.run_id,
                        i.id,
                        i.kind,
                        i.language,
                        i.outcome,
                        int(i.passed),
                        json.dumps(i.scores),
                        i.error,
                    )
                    for i in run.items
                ],
            )

    def runs(self, limit: int | None = None) -> list[RunSummary]:
        """Recorded runs, newest first."""
        query = "SELECT run_id, label, started_at, source, n_items, pass_rate, out_dir FROM runs"
        query += " ORDER BY started_at DESC, rowid DESC" + (f" LIMIT {int(limit)}" if limit else "")
        with self._connect() as db:
            return [RunSummary(*row) for row in db.execute(query)]

    def load(self, ref: str) -> RunResult:
        """A run by id, unique id prefix, label (its newest run), 'laatste' or 'vorige'."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT run_id, label FROM runs ORDER BY started_at DESC, rowid DESC"
            ).fetchall()
            run_id = _pick(ref, rows)
            (result,) = db.execute("SELECT result_json FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return run_from_dict(json.loads(result))


def _pick(ref: str, rows: list[tuple[str, str]]) -> str:
    """The run id a reference means; RunNotFoundError when none or several match."""
    position = {"laatste": 0, "latest": 0, "vorige": 1, "previous": 1}.get(ref.lower())
    if position is not None:
        if len(rows) <= position:
            raise RunNotFoundError(f"Er zijn maar {len(rows)} run(s) vastgelegd; '{ref}' bestaat niet.")
        return rows[position][0]
    if any(run_id == ref for run_id, _ in rows):
        return ref
    prefixed = [run_id for run_id, _ in rows if run_id.startswith(ref)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise RunNotFoundError(
            f"'{ref}' past bij meerdere runs: {', '.join(prefixed[:5])}; geef meer tekens."
        )
    labelled = [run_id for run_id, label in rows if label == ref]
    if labelled:
        return labelled[0]
    raise RunNotFoundError(f"Geen run gevonden met id of label '{ref}'. Zie 'kis eval list'.")


def load_run(ref: str, history: History) -> RunResult:
    """A run from a results.json path, a run directory, or a reference into the history."""
    path = Path(ref)
    if path.is_dir():
        path = path / "results.json"
    if path.suffix == ".json" and path.is_file():
        return run_from_dict(json.loads(path.read_text(encoding="utf-8")))
    return history.load(ref)
