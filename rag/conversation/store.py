"""Conversations with their turns and a pending clarification, in SQLite or PostgreSQL (SQLAlchemy).

The answerer needs the previous turns to rewrite follow-up questions and to resolve an answer to
its own clarifying question; the API shares the same store.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    event,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from rag.errors import StoreError


class Base(DeclarativeBase):
    pass


def now() -> datetime:
    return datetime.now(UTC)


class ConversationRow(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TurnRow(Base):
    __tablename__ = "turns"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    reply: Mapped[dict[str, Any]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


@dataclass(frozen=True)
class Turn:
    id: str
    position: int
    question: str
    reply: dict[str, Any]
    created: datetime


@dataclass(frozen=True)
class Conversation:
    id: str
    created: datetime
    updated: datetime
    state: dict[str, Any]  # the answerer's memory: pending clarification, current scope
    turns: tuple[Turn, ...]


def make_engine(url: str) -> Any:
    """An engine for ``url``; SQLite gets WAL and foreign keys, and its directory is created."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


CREATE_ATTEMPTS = 5
CREATE_PAUSE_S = 0.2


def _create_tables(engine: Engine) -> None:
    """The conversation tables, if missing. API workers start together: each can find a table
    missing and the slower one's CREATE then fails on the table the other made, so it looks again
    (and finds them all) instead of failing its start. Once was not always enough: a CI run lost a
    worker to "table conversations already exists" on the second look, and uvicorn then stopped
    the whole server."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            Base.metadata.create_all(engine)
            return
        except SQLAlchemyError:
            if attempt == CREATE_ATTEMPTS:
                raise
            time.sleep(CREATE_PAUSE_S * attempt)  # the other worker's CREATEs finish meanwhile


class ConversationStore:
    def __init__(self, url: str) -> None:
        try:
            self.engine = make_engine(url)
            _create_tables(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"De gespreksdatabase is niet bereikbaar: {exc.__class__.__name__}") from exc
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def _run(self, work: Any) -> Any:
        try:
            with self._session.begin() as session:
                return work(session)
        except SQLAlchemyError as exc:
            raise StoreError(f"De gespreksdatabase gaf een fout: {exc.__class__.__name__}") from exc

    def create(self) -> str:
        conversation_id = str(uuid.uuid4())
        self._run(lambda s: s.add(ConversationRow(id=conversation_id, state={})))
        return conversation_id

    def get(self, conversation_id: str) -> Conversation | None:
        def load(session: Session) -> Conversation | None:
            row = session.get(ConversationRow, conversation_id)
            if row is None:
                return None
            turns = session.scalars(
                select(TurnRow).where(TurnRow.conversation_id == conversation_id).order_by(TurnRow.position)
            )
            return Conversation(
                row.id,
                row.created,
                row.updated,
                dict(row.state or {}),
                tuple(Turn(t.id, t.position, t.question, t.reply, t.created) for t in turns),
            )

        result: Conversation | None = self._run(load)
        return result

    def append(
        self, conversation_id: str, question: str, reply: dict[str, Any], state: dict[str, Any]
    ) -> str:
        """Store a turn and the new state in one transaction; returns the turn (message) id."""
        turn_id = str(uuid.uuid4())

        def write(session: Session) -> None:
            row = session.get(ConversationRow, conversation_id, with_for_update=True)
            if row is None:
                row = ConversationRow(id=conversation_id, state={})
                session.add(row)
                session.flush()
            position = len(
                list(session.scalars(select(TurnRow.id).where(TurnRow.conversation_id == conversation_id)))
            )
            session.add(
                TurnRow(
                    id=turn_id,
                    conversation_id=conversation_id,
                    position=position,
                    question=question,
                    reply=json.loads(json.dumps(reply, default=str)),
                )
            )
            row.state = state
            row.updated = now()

        self._run(write)
        return turn_id

    def delete(self, conversation_id: str) -> bool:
        def remove(session: Session) -> bool:
            session.execute(delete(TurnRow).where(TurnRow.conversation_id == conversation_id))
            result = session.execute(delete(ConversationRow).where(ConversationRow.id == conversation_id))
            return bool(getattr(result, "rowcount", 0))

        result: bool = self._run(remove)
        return result

    def expire(self, older_than: timedelta) -> int:
        """Delete conversations idle for longer than ``older_than``; returns how many."""
        cutoff = now() - older_than

        def remove(session: Session) -> int:
            old = list(session.scalars(select(ConversationRow.id).where(ConversationRow.updated < cutoff)))
            if old:
                session.execute(delete(TurnRow).where(TurnRow.conversation_id.in_(old)))
                session.execute(delete(ConversationRow).where(ConversationRow.id.in_(old)))
            return len(old)

        result: int = self._run(remove)
        return result
