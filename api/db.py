"""Feedback and ingest jobs, stored beside the conversations (SQLite WAL or PostgreSQL).

The tables are created by Alembic (``api/migrations``), not ``create_all``, so a deployed schema
can change without losing rows. Feedback copies the question and answer it rates: conversations
expire, the feedback is kept for analysis.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from sqlalchemy import JSON, CursorResult, DateTime, Integer, String, Text, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from rag.conversation.store import TurnRow, make_engine, now
from rag.errors import StoreError

T = TypeVar("T")
ACTIVE = ("queued", "running")
JobKind = Literal["ingest", "crawl"]


class ApiBase(DeclarativeBase):
    pass


class FeedbackRow(ApiBase):
    __tablename__ = "feedback"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(36), index=True)
    rating: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)


class JobRow(ApiBase):
    __tablename__ = "ingest_jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="ingest")  # ingest, or crawl followed by one
    state: Mapped[str] = mapped_column(String(16), index=True)  # queued, running, done, failed
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    build_id: Mapped[str | None] = mapped_column(String(64))
    crawl: Mapped[dict[str, int] | None] = mapped_column(JSON)  # a crawl job's figures, when crawled
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


@dataclass(frozen=True)
class TurnRef:
    """The turn a feedback rates, as far as feedback needs it."""

    id: str
    conversation_id: str
    question: str
    reply: dict[str, Any]


def _identity(path: Path | None) -> tuple[int, int] | None:
    """The file's device and inode, or None when there is none (yet)."""
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino) if stat is not None else None


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ApiStore:
    """Feedback, jobs and the few turn look-ups the API needs; errors become StoreError."""

    def __init__(self, url: str) -> None:
        try:
            self.engine = make_engine(url)
        except SQLAlchemyError as exc:
            raise StoreError(f"De database is niet bereikbaar: {exc.__class__.__name__}") from exc
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        # an embedded database is a file: the one opened must stay the one on disk
        self._file = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
        self._identity = _identity(self._file)

    def _run(self, work: Callable[[Session], T]) -> T:
        try:
            with self._session.begin() as session:
                return work(session)
        except SQLAlchemyError as exc:
            raise StoreError(f"De database gaf een fout: {exc.__class__.__name__}") from exc

    def ping(self) -> None:
        """What a request needs of the database: its tables readable and writable (a write that
        changes no row), and for SQLite the file that is open still the one on disk (not deleted or
        replaced)."""
        if self._identity is None:  # the file is made by the first migration, after start
            self._identity = _identity(self._file)
        if self._file is not None and _identity(self._file) != self._identity:
            raise StoreError(
                f"Het databasebestand {self._file.name} is verwijderd of vervangen terwijl de dienst liep; "
                "herstart de dienst."
            )

        def probe(session: Session) -> None:
            session.execute(select(JobRow.id).limit(1)).all()
            session.execute(update(JobRow).where(JobRow.id == "").values(message=""))  # no row: a write

        self._run(probe)

    def turn(self, message_id: str) -> TurnRef | None:
        row = self._run(lambda s: s.get(TurnRow, message_id))
        return TurnRef(row.id, row.conversation_id, row.question, row.reply) if row else None

    def save_feedback(self, turn: TurnRef, rating: str, comment: str | None) -> FeedbackRow:
        """One rating per message: rating it again replaces the earlier rating."""

        def write(session: Session) -> FeedbackRow:
            row = session.scalars(select(FeedbackRow).where(FeedbackRow.message_id == turn.id)).first()
            if row is None:
                row = FeedbackRow(
                    id=str(uuid.uuid4()),
                    message_id=turn.id,
                    conversation_id=turn.conversation_id,
                    question=turn.question,
                    answer=str(turn.reply.get("answer", "")),
                    status=str(turn.reply.get("status", "")),
                )
                session.add(row)
            row.rating, row.comment, row.created = rating, comment, now()
            return row

        return self._run(write)

    def feedback(self, rating: str | None = None, limit: int = 1000) -> list[FeedbackRow]:
        query = select(FeedbackRow).order_by(FeedbackRow.created.desc()).limit(limit)
        if rating:
            query = query.where(FeedbackRow.rating == rating)
        return self._run(lambda s: list(s.scalars(query)))

    def create_job(self, kind: JobKind = "ingest") -> JobRow | None:
        """A queued job, or None when one is queued or running already: one crawl or ingest at a
        time, since both build the index."""

        def write(session: Session) -> JobRow | None:
            if session.scalars(select(JobRow.id).where(JobRow.state.in_(ACTIVE))).first() is not None:
                return None
            row = JobRow(id=str(uuid.uuid4()), kind=kind, state="queued", message="In de wachtrij.")
            session.add(row)
            return row

        return self._run(write)

    def fail_abandoned_jobs(self) -> int:
        """Jobs left queued or running by a process that stopped; called once at startup."""
        query = (
            update(JobRow)
            .where(JobRow.state.in_(ACTIVE))
            .values(state="failed", message="Afgebroken: de dienst werd herstart.", updated=now())
        )
        return self._run(lambda s: cast(CursorResult[Any], s.execute(query)).rowcount)

    def update_job(self, job_id: str, **values: Any) -> None:
        self._run(
            lambda s: s.execute(update(JobRow).where(JobRow.id == job_id).values(updated=now(), **values))
        )

    def job(self, job_id: str) -> JobRow | None:
        return self._run(lambda s: s.get(JobRow, job_id))
