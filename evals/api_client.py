"""An AnswerFn that asks a running API, so a deployed service is measured exactly as users reach it.

``POST {api}/v1/chat`` with ``{"question", "conversation_id"}``; the JSON reply carries the fields
of ``rag.schema.Reply`` (extra fields such as ``message_id`` are ignored). Every failure — no
connection, a timeout, an error status, a body that is no Reply — becomes an AnswerApiError whose
message says what happened, so the runner records the item as an error and goes on.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import httpx

from evals.errors import AnswerApiError
from evals.runner import AnswerFn
from rag.schema import Citation, Clarification, Option, Reply, Retrieved


def http_answer_fn(api_url: str, *, timeout_s: float = 120.0, client: httpx.Client | None = None) -> AnswerFn:
    """An AnswerFn posting to ``{api_url}/v1/chat``; pass ``client`` to reuse or swap the transport."""
    http = client or httpx.Client(timeout=timeout_s)
    url = api_url.rstrip("/") + "/v1/chat"

    def answer(question: str, conversation_id: str | None) -> Reply:
        try:
            response = http.post(url, json={"question": question, "conversation_id": conversation_id})
        except httpx.HTTPError as exc:
            raise AnswerApiError(f"API onbereikbaar op {url}: {exc or type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise AnswerApiError(f"API antwoordde {response.status_code}: {_error_message(response)}")
        try:
            return reply_from_json(response.json())
        except (ValueError, KeyError, TypeError) as exc:
            raise AnswerApiError(f"API gaf geen geldig antwoord: {exc}") from exc

    return answer


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and "message" in error:
            return str(error["message"])
        if "detail" in body:
            return str(body["detail"])
    return str(body)[:200]


def reply_from_json(data: Any) -> Reply:
    """A Reply from its JSON form; raises ValueError/KeyError/TypeError on a malformed body."""
    if not isinstance(data, dict):
        raise TypeError("antwoord is geen JSON-object")
    status = data["status"]
    if status not in ("answered", "clarify", "not_found"):
        raise ValueError(f"onbekende status {status!r}")
    language = data.get("language", "nl")
    if language not in ("nl", "en"):
        raise ValueError(f"onbekende taal {language!r}")
    clarification = data.get("clarification")
    return Reply(
        status=status,
        answer=str(data.get("answer", "")),
        citations=tuple(Citation(**_known(c, Citation)) for c in data.get("citations") or ()),
        clarification=(
            Clarification(
                question=str(clarification["question"]),
                options=tuple(Option(**_known(o, Option)) for o in clarification.get("options") or ()),
            )
            if clarification
            else None
        ),
        follow_ups=tuple(str(f) for f in data.get("follow_ups") or ()),
        feedback=data.get("feedback"),
        retrieved=tuple(Retrieved(**_known(r, Retrieved)) for r in data.get("retrieved") or ()),
        language=language,
        timings={str(k): float(v) for k, v in (data.get("timings") or {}).items()},
        conversation_id=data.get("conversation_id"),
    )


def _known(data: Any, cls: type) -> dict[str, Any]:
    """The keys of ``data`` that ``cls`` (a dataclass) knows; unknown keys are dropped."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} is geen JSON-object")
    known = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in known}
