"""``/v1/chat``: one turn as JSON, or streamed as Server-Sent Events.

The stream's answer runs as its own task and writes its text to a ``Draft`` whose changes the
stream sends as they are made. A client that disconnects mid-stream stops the events, not the
turn, which is still answered and stored in the conversation (an LLM stops writing: nobody reads).
"""

from __future__ import annotations

import asyncio
import json
import logging
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
from rag.answer.assistant import Draft
from rag.errors import InputError, KisError

log = logging.getLogger(__name__)
router = APIRouter(tags=["chat"], responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}})

_PING_SECONDS = 10.0
Change = tuple[str, dict[str, Any]]  # a draft's event: its name and data


async def run_turn(state: AppState, body: ChatRequest, draft: Draft | None = None) -> ChatTurn:
    """Answering is CPU-bound: a few turns at a time per worker, the rest wait their turn."""
    async with state.answer_limiter:
        return await run_in_threadpool(
            answer_turn, state, body.question, body.conversation_id, body.option, draft
        )


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


async def events(
    task: asyncio.Task[ChatTurn], changes: asyncio.Queue[Change | None], draft: Draft, conversation_id: str
) -> AsyncIterator[str]:
    """The events of ``chat_stream``'s description; ``changes`` ends with None when the turn is done."""
    yield sse(
        "status", {"status": "bezig", "message": "Ik zoek in de bronnen…", "conversation_id": conversation_id}
    )
    try:
        while True:
            try:
                change = await asyncio.wait_for(changes.get(), _PING_SECONDS)
            except TimeoutError:
                yield ": ping\n\n"  # a comment line keeps proxies from closing a quiet connection
                continue
            if change is None:
                break
            yield sse(*change)
    finally:
        if not task.done():  # the client has gone
            draft.stop()
    if (error := task.exception()) is not None:
        yield sse("error", _error_data(error))
        return
    turn = task.result()
    reply = turn.reply
    yield sse("status", {"status": reply.status})
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
    """Als /v1/chat, gestreamd als Server-Sent Events, in deze volgorde:

    - `status` `{"status": "bezig", "message", "conversation_id"}`: het antwoord wordt gemaakt. Het
      gesprek staat al vast (een nieuw is aangemaakt), zodat een client die stopt erin verder kan.
    - `delta` `{"text"}`: tekst die bij het antwoord komt, zodra die geschreven is: per zin van het
      antwoord uit de bronnen, per token van een LLM.
    - `replace` `{"text", "reason"}`: de tekst tot nu toe wordt vervangen door `text`; daarna
      kunnen weer `delta`'s volgen. `reason`: `unsupported` (het LLM-antwoord doorstond de controle
      op de bronnen niet: `text` is het antwoord in de woorden van de bronnen), `failed` (het LLM
      viel uit tijdens het schrijven; idem), `revised` (een latere controle keurde het antwoord af,
      bijv. omdat een naam uit de vraag er niet in staat).
    - `status` `{"status"}`: `answered`, `clarify` of `not_found`.
    - `citations`, `clarification` (bij een verduidelijkingsvraag), `follow_ups`, `pointers` (bij
      `not_found`), `done` (`conversation_id`, `message_id`, `status`, `feedback`, `language`,
      `timings`); bij een fout in plaats daarvan `error` `{"code", "message"}`.

    De tekst van de `delta`'s (na een `replace`: vanaf diens `text`) is het bewaarde antwoord. Een
    client die de verbinding verbreekt, stopt de events, niet de beurt: die wordt beantwoord en
    bewaard (een LLM schrijft dan niet verder; het antwoord komt uit de bronnen zelf).
    """
    await run_in_threadpool(check_turn, state, body.question, body.conversation_id, body.option)
    if body.conversation_id is None:
        created = await run_in_threadpool(state.conversations.create)
        body = body.model_copy(update={"conversation_id": created})
    conversation_id = str(body.conversation_id)
    loop = asyncio.get_running_loop()
    changes: asyncio.Queue[Change | None] = asyncio.Queue()
    draft = Draft(lambda event, data: loop.call_soon_threadsafe(changes.put_nowait, (event, data)))
    task = asyncio.create_task(run_turn(state, body, draft))
    state.turns.add(task)  # held until done: the turn outlives a client that goes away
    task.add_done_callback(state.turns.discard)
    task.add_done_callback(lambda _: changes.put_nowait(None))  # after the draft's last change
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        events(task, changes, draft, conversation_id), media_type="text/event-stream", headers=headers
    )
