"""Crawl state in SQLite: frontier, outcomes, validators, content hashes and removals per URL.

Every URL is one row. A crawl is a numbered *run*; a row is queued for a run and visited in it,
each in one committed statement, so a crawl killed half-way resumes the same run and fetches only
what it had not visited yet. A document is *current* while it has content, is not removed and is
no alias (redirect or canonical) of another URL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Role = Literal["page", "pdf"]
Source = Literal["seed", "sitemap", "link"]
Outcome = Literal["new", "changed", "unchanged"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    depth INTEGER NOT NULL,
    hint TEXT,
    queued_run INTEGER NOT NULL DEFAULT 0,
    visited_run INTEGER NOT NULL DEFAULT 0,
    listed_run INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    reason TEXT,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    doc_id TEXT,
    gone_count INTEGER NOT NULL DEFAULT 0,
    removed_run INTEGER NOT NULL DEFAULT 0,
    alias_of TEXT
);
CREATE INDEX IF NOT EXISTS urls_frontier ON urls (queued_run, visited_run);
CREATE TABLE IF NOT EXISTS links (
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    role TEXT,  -- page or pdf when the crawler follows it, NULL when it is only related
    related INTEGER NOT NULL,  -- 1 for a link inside the main content
    PRIMARY KEY (source, target)
);
CREATE TABLE IF NOT EXISTS runs (
    run INTEGER PRIMARY KEY,
    hosts TEXT NOT NULL,  -- the hosts the run was allowed to visit, space-separated
    started TEXT NOT NULL,  -- ISO, UTC
    finished TEXT,
    counts TEXT  -- RunCounts as JSON, when finished
);
"""
_CURRENT = "content_hash IS NOT NULL AND removed_run = 0 AND alias_of IS NULL"


@dataclass(frozen=True)
class Visit:
    """Which run visits a URL, and the URL's role and link depth."""

    run: int
    role: Role
    depth: int


@dataclass(frozen=True)
class QueueItem:
    url: str
    role: Role
    depth: int
    hint: str | None


@dataclass(frozen=True)
class SavedLink:
    target: str
    text: str
    role: Role | None
    related: bool


@dataclass(frozen=True)
class CurrentDoc:
    url: str
    doc_id: str


@dataclass(frozen=True)
class RunCounts:
    """``changed`` counts new pages too; ``new`` are those not kept before this run."""

    fetched: int
    new: int
    changed: int
    unchanged: int
    duplicates: int
    failed: int
    skipped: int
    removed: int


@dataclass(frozen=True)
class RunRecord:
    """A finished run: when, over which hosts, and what it did."""

    run: int
    hosts: frozenset[str]
    started: str
    finished: str
    counts: RunCounts


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CrawlState:
    """One SQLite file (WAL) holding everything a crawl needs to resume and to crawl incrementally."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def begin_run(self, hosts: Iterable[str]) -> tuple[int, bool]:
        """The run to work on and whether it resumes an interrupted one; a new run is recorded
        with its start time and the hosts it may visit."""
        with self._tx() as db:
            run = int(self._meta("run") or 0)
            if self._meta("run_open") == "1":
                return run, True
            self._set_meta("run", str(run + 1))
            self._set_meta("run_open", "1")
            db.execute(
                "INSERT OR REPLACE INTO runs (run, hosts, started) VALUES (?, ?, ?)",
                (run + 1, " ".join(sorted(hosts)), _now()),
            )
            return run + 1, False

    def finish_run(self, run: int) -> RunCounts:
        """Close ``run`` and record what it did, for the sources overview."""
        counts = self.counts(run)
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET finished = ?, counts = ? WHERE run = ?",
                (_now(), json.dumps(asdict(counts)), run),
            )
            self._set_meta("run_open", "0")
        return counts

    def finished_runs(self) -> list[RunRecord]:
        """Every finished run that was recorded, the newest first."""
        rows = self._db.execute(
            "SELECT run, hosts, started, finished, counts FROM runs WHERE finished IS NOT NULL "
            "ORDER BY run DESC"
        )
        return [
            RunRecord(run, frozenset(hosts.split()), started, finished, RunCounts(**json.loads(counts)))
            for run, hosts, started, finished, counts in rows
        ]

    def setup_done(self, run: int) -> bool:
        """Whether ``run`` has read its sitemaps and queued its seeds and known documents."""
        return self._meta("setup_run") == str(run)

    def set_setup_done(self, run: int) -> None:
        self._set_meta("setup_run", str(run))

    def enqueue(
        self, url: str, *, run: int, depth: int, role: Role, source: Source, hint: str | None = None
    ) -> bool:
        """Queue ``url`` for ``run``; True when it was not queued in this run yet. A page a sitemap
        used to list and that was then removed is not brought back by a link."""
        listed = run if source == "sitemap" else 0
        guard = "AND NOT (urls.listed_run > 0 AND urls.removed_run > 0)" if source == "link" else ""
        cursor = self._db.execute(
            f"""INSERT INTO urls (url, role, depth, hint, queued_run, listed_run) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET queued_run = excluded.queued_run,
                depth = min(urls.depth, excluded.depth), hint = coalesce(urls.hint, excluded.hint),
                listed_run = max(urls.listed_run, excluded.listed_run)
            WHERE urls.queued_run < excluded.queued_run {guard}""",
            (url, role, depth, hint, run, listed),
        )
        if source == "sitemap" and cursor.rowcount == 0:
            self._db.execute("UPDATE urls SET listed_run = ? WHERE url = ?", (run, url))
        return cursor.rowcount == 1

    def remove_unlisted(self, run: int) -> None:
        """Pages a sitemap listed before but none lists now: removed, and not fetched this run."""
        unlisted = "listed_run > 0 AND listed_run < ? AND visited_run < ?"
        with self._tx() as db:
            db.execute(
                f"UPDATE urls SET removed_run = ?, outcome = 'removed', reason = 'niet meer in de sitemap' "
                f"WHERE {unlisted} AND {_CURRENT}",
                (run, run, run),
            )
            db.execute(
                f"UPDATE urls SET queued_run = ?, visited_run = ? WHERE {unlisted}", (run, run, run, run)
            )

    def requeue_known(self, run: int) -> None:
        """Every current document is checked again in a new run, linked or not."""
        self._db.execute(f"UPDATE urls SET queued_run = ? WHERE {_CURRENT} AND queued_run < ?", (run, run))

    def frontier(self, run: int) -> list[QueueItem]:
        rows = self._db.execute(
            "SELECT url, role, depth, hint FROM urls WHERE queued_run = ? AND visited_run < ? "
            "ORDER BY depth, rowid",
            (run, run),
        )
        return [QueueItem(*row) for row in rows]

    def visited_count(self, run: int) -> int:
        row = self._db.execute("SELECT count(*) FROM urls WHERE visited_run = ?", (run,)).fetchone()
        return int(row[0])

    def visited_urls(self, run: int) -> set[str]:
        """The URLs ``run`` has dealt with so far (fetched, failed, skipped or moved)."""
        rows = self._db.execute("SELECT url FROM urls WHERE visited_run = ?", (run,))
        return {str(row[0]) for row in rows}

    def visited(self, url: str, run: int) -> bool:
        row = self._db.execute("SELECT visited_run FROM urls WHERE url = ?", (url,)).fetchone()
        return row is not None and row[0] == run

    def alias_of(self, url: str) -> str | None:
        row = self._db.execute("SELECT alias_of FROM urls WHERE url = ?", (url,)).fetchone()
        return None if row is None else row[0]

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified to send, only for a URL whose content is kept."""
        row = self._db.execute(
            f"SELECT etag, last_modified FROM urls WHERE url = ? AND {_CURRENT}", (url,)
        ).fetchone()
        return (None, None) if row is None else (row[0], row[1])

    def _visit(self, db: sqlite3.Connection, url: str, visit: Visit) -> None:
        db.execute(
            "INSERT INTO urls (url, role, depth, queued_run) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (url) DO NOTHING",
            (url, visit.role, visit.depth, visit.run),
        )
        db.execute(
            "UPDATE urls SET queued_run = ?, visited_run = ? WHERE url = ?", (visit.run, visit.run, url)
        )

    def record_content(
        self,
        url: str,
        visit: Visit,
        content_hash: str,
        doc_id: str | None,
        validators: tuple[str | None, str | None],
    ) -> Outcome:
        """A page fetched and extracted: new unless it was kept, changed unless its content hash is
        the one kept. ``doc_id``
        is None for a page that is followed but no document; ``validators`` are ETag, Last-Modified."""
        with self._tx() as db:
            row = db.execute(
                f"SELECT content_hash, ({_CURRENT}), "
                "CASE WHEN visited_run = ? AND outcome IN ('new', 'changed') THEN outcome END "
                "FROM urls WHERE url = ?",
                (visit.run, url),
            ).fetchone()
            outcome: Outcome
            if row and row[2]:  # recorded as new or changed earlier in this run: it stays so
                outcome = row[2]
            elif row and row[1]:
                outcome = "unchanged" if row[0] == content_hash else "changed"
            else:
                outcome = "new"
            self._visit(db, url, visit)
            db.execute(
                "UPDATE urls SET outcome = ?, reason = NULL, etag = ?, last_modified = ?, content_hash = ?, "
                "doc_id = ?, gone_count = 0, removed_run = 0, alias_of = NULL WHERE url = ?",
                (outcome, *validators, content_hash, doc_id, url),
            )
        return outcome

    def record_not_modified(self, url: str, visit: Visit) -> None:
        with self._tx() as db:
            self._visit(db, url, visit)
            db.execute(
                "UPDATE urls SET outcome = 'unchanged', reason = NULL, gone_count = 0 WHERE url = ?", (url,)
            )

    def record_gone(self, url: str, visit: Visit, reason: str) -> bool:
        """A 404/410; the second in a row removes a kept document. True when it was removed now."""
        with self._tx() as db:
            self._visit(db, url, visit)
            db.execute("UPDATE urls SET gone_count = gone_count + 1 WHERE url = ?", (url,))
            removed = db.execute(
                f"UPDATE urls SET removed_run = ?, outcome = 'removed', reason = ? "
                f"WHERE url = ? AND gone_count >= 2 AND {_CURRENT}",
                (visit.run, reason, url),
            ).rowcount
            if not removed:
                db.execute("UPDATE urls SET outcome = 'failed', reason = ? WHERE url = ?", (reason, url))
        return removed == 1

    def record_failed(self, url: str, visit: Visit, reason: str) -> None:
        """A failure that says nothing about the page itself; kept content stays current."""
        self._mark(url, visit, "failed", reason)

    def record_skipped(self, url: str, visit: Visit, reason: str) -> None:
        """A page the crawler may or should not keep (robots, noindex, type, size): its content goes."""
        self._mark(url, visit, "skipped", reason, drop=True)

    def record_alias(self, url: str, target: str, visit: Visit) -> None:
        """``url`` redirects to or names ``target`` as canonical; a document kept under it goes."""
        self._mark(url, visit, "alias", None, alias_of=target, drop=True)

    def _mark(
        self,
        url: str,
        visit: Visit,
        outcome: str,
        reason: str | None,
        alias_of: str | None = None,
        drop: bool = False,
    ) -> None:
        with self._tx() as db:
            self._visit(db, url, visit)
            if drop:
                db.execute(f"UPDATE urls SET removed_run = ? WHERE url = ? AND {_CURRENT}", (visit.run, url))
            db.execute(
                "UPDATE urls SET outcome = ?, reason = ?, alias_of = coalesce(?, alias_of) WHERE url = ?",
                (outcome, reason, alias_of, url),
            )

    def save_links(self, source: str, links: Iterable[SavedLink]) -> None:
        """Replace the outgoing links of ``source``; followed ones are queued again when it is
        unchanged (304), so a target that failed once is retried."""
        with self._tx() as db:
            db.execute("DELETE FROM links WHERE source = ?", (source,))
            db.executemany(
                "INSERT OR IGNORE INTO links (source, target, text, role, related) VALUES (?, ?, ?, ?, ?)",
                ((source, link.target, link.text, link.role, link.related) for link in links),
            )

    def links_from(self, source: str) -> list[SavedLink]:
        rows = self._db.execute(
            "SELECT target, text, role, related FROM links WHERE source = ? ORDER BY rowid", (source,)
        )
        return [SavedLink(target, text, role, bool(related)) for target, text, role, related in rows]

    def current_documents(self) -> list[CurrentDoc]:
        """Current documents, one per content hash (the URL known longest wins)."""
        rows = self._db.execute(
            f"SELECT url, doc_id, content_hash FROM urls WHERE {_CURRENT} AND doc_id IS NOT NULL "
            "ORDER BY rowid"
        )
        seen: set[str] = set()
        docs: list[CurrentDoc] = []
        for url, doc_id, content_hash in rows:
            if content_hash not in seen:
                seen.add(content_hash)
                docs.append(CurrentDoc(url, doc_id))
        return docs

    def counts(self, run: int) -> RunCounts:
        """What ``run`` did; a duplicate is a fetched page whose content an older current URL has."""
        duplicate = (
            f"{_CURRENT} AND EXISTS (SELECT 1 FROM urls AS o WHERE o.content_hash = urls.content_hash "
            f"AND o.rowid < urls.rowid AND o.removed_run = 0 AND o.alias_of IS NULL)"
        )
        row = self._db.execute(
            f"""SELECT
                coalesce(sum(outcome IN ('new', 'changed', 'unchanged')), 0),
                coalesce(sum(outcome = 'new' AND NOT ({duplicate})), 0),
                coalesce(sum(outcome IN ('new', 'changed') AND NOT ({duplicate})), 0),
                coalesce(sum(outcome = 'unchanged' AND NOT ({duplicate})), 0),
                coalesce(sum(outcome IN ('new', 'changed', 'unchanged') AND ({duplicate})), 0),
                coalesce(sum(outcome = 'failed'), 0),
                coalesce(sum(outcome = 'skipped'), 0)
            FROM urls WHERE visited_run = ?""",
            (run,),
        ).fetchone()
        removed = self._db.execute("SELECT count(*) FROM urls WHERE removed_run = ?", (run,)).fetchone()
        fetched, new, changed, unchanged, duplicates, failed, skipped = (int(v) for v in row)
        return RunCounts(fetched, new, changed, unchanged, duplicates, failed, skipped, int(removed[0]))
