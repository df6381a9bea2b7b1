"""``/v1/conversations/{id}``: read a conversation with its turns, or delete it.

A conversation idle for longer than ``conversation_ttl_hours`` is gone: it reads as 404 at once,
and the housekeeping loop deletes it from the database.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.chat import conversation_not_found, expires, live_conversation
from api.deps import StateDep
from api.errors import ErrorResponse
from api.models import ConversationOut, TurnOut

router = APIRouter(prefix="/conversations", tags=["gesprekken"], responses={404: {"model": ErrorResponse}})


@router.get("/{conversation_id}", response_model=ConversationOut)
def get_conversation(conversation_id: str, state: StateDep) -> ConversationOut:
    """Een gesprek met al zijn beurten."""
    conversation = live_conversation(state, conversation_id)
    return ConversationOut(
        id=conversation.id,
        created=conversation.created,
        updated=conversation.updated,
        expires=expires(state, conversation),
        turns=[
            TurnOut(id=t.id, position=t.position, question=t.question, reply=t.reply, created=t.created)
            for t in conversation.turns
        ],
    )


@router.delete("/{conversation_id}", status_code=204, response_class=Response)
def delete_conversation(conversation_id: str, state: StateDep) -> Response:
    """Verwijder een gesprek en zijn beurten (gegeven feedback blijft bewaard)."""
    if not state.conversations.delete(conversation_id):
        raise conversation_not_found()
    return Response(status_code=204)
