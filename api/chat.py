"""One chat turn as the API runs it: check the request, answer it, find the stored turn's id.

The checks the answerer leaves to its callers live here: an unknown or expired conversation is a
404, and an ``option`` must be one the pending clarification offered. A conversation's turns are
answered one at a time, so each sees the state the previous one left and the newest turn is the one
just stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.db import as_utc
from api.errors import ApiError
from api.metrics import ANSWERS, RETRIEVAL_SECONDS
from api.state import AppState
from rag.answer.assistant import Draft
from rag.answer.question import check_question
from rag.conversation.state import ConversationState
from rag.conversation.store import Conversation, now
from rag.errors import StoreError
from rag.schema import Reply


@dataclass(frozen=True)
class ChatTurn:
    reply: Reply
    conversation_id: str
    message_id: str


def conversation_not_found() -> ApiError:
    return ApiError(
        404, "conversation_not_found", "Dit gesprek bestaat niet (meer). Begin een nieuw gesprek."
    )


def expires(state: AppState, conversation: Conversation) -> datetime:
    return as_utc(conversation.updated) + state.ttl


def live_conversation(state: AppState, conversation_id: str) -> Conversation:
    """The conversation, unless it is unknown or has expired (then it is deleted right away)."""
    conversation = state.conversations.get(conversation_id)
    if conversation is None:
        raise conversation_not_found()
    if expires(state, conversation) <= now():
        state.conversations.delete(conversation_id)
        raise conversation_not_found()
    return conversation


def check_turn(state: AppState, question: str, conversation_id: str | None, option: str | None) -> None:
    """Raise the 4xx this request deserves before any answering starts."""
    check_question(question if question.strip() or not option else option)
    conversation = live_conversation(state, conversation_id) if conversation_id else None
    if option is None:
        return
    pending = ConversationState.from_dict(conversation.state).pending if conversation else None
    if pending is None:
        raise ApiError(
            422,
            "invalid_option",
            "Er staat in dit gesprek geen verduidelijkingsvraag open; een keuze ('option') past hier niet.",
        )
    if option not in pending.values():
        raise ApiError(
            422, "invalid_option", "Deze keuze hoort niet bij de openstaande verduidelijkingsvraag."
        )


def answer_turn(
    state: AppState,
    question: str,
    conversation_id: str | None,
    option: str | None,
    draft: Draft | None = None,
) -> ChatTurn:
    """Check and answer one turn, its text shown to ``draft`` as it is written; blocking, so
    callers run it in a worker thread."""
    with state.locks.hold(conversation_id):
        check_turn(state, question, conversation_id, option)
        reply = state.holder.assistant.answer(question, conversation_id, option, draft)
    stored_id, message_id = reply.conversation_id, reply.message_id
    if stored_id is None or message_id is None:
        raise StoreError("Het antwoord is gegeven maar niet in het gesprek bewaard.")
    ANSWERS.labels(reply.status).inc()
    if "retrieve" in reply.timings:
        RETRIEVAL_SECONDS.observe(reply.timings["retrieve"] / 1000)
    return ChatTurn(reply, stored_id, message_id)
