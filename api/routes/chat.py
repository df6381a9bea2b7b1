"""``/v1/chat``: one turn as JSON, or streamed as Server-Sent Events.

The stream's answer runs as its own task: a client that disconnects mid-stream stops the events,
not the turn, which is still answered and stored in the conversation.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.chat import ChatTurn, answer_turn, check_turn
from api.deps import StateDep, get_assistant
from api.errors import ApiError, ErrorResponse, public_message
from api.models import ChatRequest, ChatResponse
from api.state import AppState
from rag.errors import InputError, KisError

log = logging.getLogger(__name__)
router = APIRouter(tags=["chat"], responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}})

_PIECE = re.compile(r"(?:\S+\s*){1,6}|\s+")  # up to six words per delta
_PING_SECONDS = 10.0


async def run_turn(state: AppState, body: ChatRequest) -> ChatTurn:
    """Answering is CPU-bound: a few turns at a time per worker, the rest wait their turn."""
    async with state.answer_limiter:
        return await run_in_threadpool(answer_turn, state, body.question, body.conversation_id, body.option)


def chat_response(turn: ChatTurn) -> ChatResponse:
    reply = turn.reply
    return ChatResponse(
        status=reply.status,
        answer=reply.answer,
        citations=list(reply.citations),
        clarification=reply.clarification,
        follow_ups=list(reply.follow_ups),
        feedback=reply.feedback,
        retrieved=list(reply.retrieved),
        language=reply.language,
        timings=reply.timings,
        conversation_id=turn.conversation_id,
        message_id=turn.message_id,
        pointers=list(reply.pointers),
    )


@router.post("/chat", response_model=ChatResponse, responses={404: {"model": ErrorResponse}})
async def chat(body: ChatRequest, state: StateDep) -> ChatResponse:
    """Beantwoord een vraag, ook als vervolg in een gesprek of als keuze uit een verduidelijkingsvraag."""
    return chat_response(await run_turn(state, body))


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def events(task: asyncio.Task[ChatTurn]) -> AsyncIterator[str]:
    """status → delta… → citations → clarification (when asked) → follow_ups → pointers (when not
    found) → done, or error."""
    yield sse("status", {"status": "bezig", "message": "Ik zoek in de bronnen…"})
    while not task.done():
        await asyncio.wait({task}, timeout=_PING_SECONDS)  # never cancels the task, never raises its error
        if not task.done():
            yield ": ping\n\n"  # a comment line keeps proxies from closing a quiet connection
    if (error := task.exception()) is not None:
        yield sse("error", _error_data(error))
        return
    turn = task.result()
    reply = turn.reply
    yield sse("status", {"status": reply.status})
    for piece in _PIECE.findall(reply.answer):
        yield sse("delta", {"text": piece})
    yield sse("citations", {"citations": [asdict(c) for c in reply.citations]})
    if reply.clarification is not None:
        yield sse("clarification", asdict(reply.clarification))
    yield sse("follow_ups", {"follow_ups": list(reply.follow_ups)})
    if reply.pointers:
        yield sse("pointers", {"pointers": [asdict(p) for p in reply.pointers]})
    yield sse(
        "done",
        {
            "conversation_id": turn.conversation_id,
            "message_id": turn.message_id,
            "status": reply.status,
            "feedback": reply.feedback,
            "language": reply.language,
            "timings": reply.timings,
        },
    )


def _error_data(error: BaseException) -> dict[str, str]:
    if isinstance(error, ApiError):
        return {"code": error.code, "message": error.message}
    if isinstance(error, InputError):
        return {"code": "invalid_input", "message": public_message(error)}
    if isinstance(error, KisError):
        return {"code": "unavailable", "message": public_message(error)}
    log.error("onverwachte fout tijdens stream", exc_info=error)
    return {"code": "internal", "message": "Er ging iets mis aan onze kant. Probeer het later opnieuw."}


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"},
        404: {"model": ErrorResponse},
    },
    dependencies=[Depends(get_assistant)],  # a 503 before the stream beats an error event in it
)
async def chat_stream(body: ChatRequest, state: StateDep) -> StreamingResponse:
    """Als /v1/chat, gestreamd: `status`, `delta`, `citations`, `clarification`, `follow_ups`,
    `pointers`, `done`."""
    await run_in_threadpool(check_turn, state, body.question, body.conversation_id, body.option)
    task = asyncio.create_task(run_turn(state, body))
    state.turns.add(task)  # held until done: the turn outlives a client that goes away
    task.add_done_callback(state.turns.discard)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(task), media_type="text/event-stream", headers=headers)
