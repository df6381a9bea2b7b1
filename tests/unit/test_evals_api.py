"""The HTTP answerer: a reply converted field by field, and every failure an item error, never a crash."""

from __future__ import annotations

import json
import socket
from dataclasses import asdict
from typing import Any

import httpx
import pytest

from evals.api_client import http_answer_fn, reply_from_json
from evals.errors import AnswerApiError
from evals.gold import parse_gold
from evals.runner import run_gold
from rag.schema import Citation, Clarification, Option, Reply, Retrieved
from tests.unit.test_evals_fakes import CORPUS, gold_jsonl

REPLY = Reply(
    status="clarify",
    answer="Welk project bedoelt u?",
    citations=(
        Citation(1, "c1", "werkplan-2026", "Werkplan", "Project 3", "https://kis.nl", "Totaal", 5, 11),
    ),
    clarification=Clarification("Welk project?", (Option("Project 3", "project=3"),)),
    follow_ups=("En project 4?",),
    retrieved=(Retrieved(1, "c1", "werkplan-2026", "Project 3", "Totaal Project 121.461", 0.9, 1, None),),
    language="nl",
    timings={"total": 0.25},
    conversation_id="abc",
)


def serve(handler: Any) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_reply_round_trips_through_json_and_ignores_extra_fields() -> None:
    body = {**json.loads(json.dumps(asdict(REPLY))), "message_id": "m1"}
    assert reply_from_json(body) == REPLY


def test_posts_question_and_conversation_to_v1_chat() -> None:
    seen: list[tuple[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), json.loads(request.content)))
        return httpx.Response(200, json=asdict(REPLY))

    answer = http_answer_fn("http://kis.test/", client=serve(handler))
    assert answer("Hoeveel kost het?", "abc") == REPLY
    assert seen == [("http://kis.test/v1/chat", {"question": "Hoeveel kost het?", "conversation_id": "abc"})]


def test_an_error_status_becomes_an_api_error_with_the_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            503, json={"error": {"code": "index", "message": "Index ontbreekt.", "request_id": "r"}}
        )

    with pytest.raises(AnswerApiError, match=r"API antwoordde 503: Index ontbreekt\."):
        http_answer_fn("http://kis.test", client=serve(handler))("vraag", None)


def test_a_body_that_is_no_reply_becomes_an_api_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "perhaps"})

    with pytest.raises(AnswerApiError, match="geen geldig antwoord"):
        http_answer_fn("http://kis.test", client=serve(handler))("vraag", None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_api_makes_every_item_an_error_without_crashing() -> None:
    answer = http_answer_fn(f"http://127.0.0.1:{free_port()}", timeout_s=2)
    run = run_gold(parse_gold(gold_jsonl(), CORPUS), answer, source="api")
    assert all(i.outcome == "error" for i in run.items)
    assert all(i.error is not None and i.error.startswith("API onbereikbaar") for i in run.items)
    assert run.metrics.overall["error_rate"] == 1.0 and run.metrics.overall["pass_rate"] == 0.0
