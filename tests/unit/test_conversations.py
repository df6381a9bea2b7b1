"""The conversation store against a real SQLite database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from rag.conversation.store import Base, ConversationStore, make_engine


def test_tables_another_worker_made_meanwhile_do_not_fail_the_start(tmp_path: Path) -> None:
    """Two API workers start together: both find the tables missing, the other one creates them
    first, and this one's CREATE TABLE meets them."""
    url = f"sqlite:///{tmp_path / 'conversations.sqlite'}"
    other = make_engine(url)

    def other_worker_first(*_: Any, **__: Any) -> None:
        Base.metadata.create_all(other)

    event.listen(Base.metadata, "before_create", other_worker_first, once=True)
    store = ConversationStore(url)
    conversation = store.create()
    assert store.get(conversation) is not None
