"""``/v1/chat/stream`` on a real uvicorn: the order of the events, and a client that goes away;
with an LLM (a fake chat model: none runs here), its words as it writes them, and an answer the
guard turns down replaced by the sources' own words."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from kis.settings import Settings
from tests.api_server import ApiServer, api_settings, sse_events
from tests.llm_api import INVENTED, Gate, LlmApi, PassageModel

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    workdir = tmp_path_factory.mktemp("api-stream")
    running = ApiServer(api_settings(corpus_index, workdir), workdir).start()
    yield running
    running.stop()


def stream(client: httpx.Client, body: dict[str, Any]) -> list[tuple[str, Any]]:
    with client.stream("POST", "/v1/chat/stream", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return list(sse_events(response.iter_lines()))


def test_events_arrive_in_order_and_match_the_stored_turn(server: ApiServer) -> None:
    with server.client() as client:
        events = stream(client, {"question": "Wie zitten er in de Raad van advies?"})
        names = [name for name, _ in events]
        assert names[0] == "status" and names[-1] == "done"
        deltas = [i for i, name in enumerate(names) if name == "delta"]
        assert deltas and deltas == list(range(deltas[0], deltas[-1] + 1))
        assert names[deltas[-1] + 1 :] == ["status", "citations", "follow_ups", "done"]
        data = dict(events)
        pieces = [payload["text"] for name, payload in events if name == "delta"]
        answer = "".join(pieces)
        assert len(pieces) > 1 and all(p.rstrip().endswith("]") for p in pieces[:-1])  # a sentence each
        assert data["citations"]["citations"]
        done = data["done"]
        assert done["status"] == "answered"
        assert events[0][1]["conversation_id"] == done["conversation_id"]  # known from the start
        turns = client.get(f"/v1/conversations/{done['conversation_id']}").json()["turns"]
        assert [t["id"] for t in turns] == [done["message_id"]]
        assert turns[0]["reply"]["answer"] == answer


def test_a_clarification_is_streamed_and_can_be_answered(server: ApiServer) -> None:
    with server.client() as client:
        events = stream(client, {"question": "Wat is de doelgroep?"})
        names = [name for name, _ in events]
        assert names[-4:] == ["citations", "clarification", "follow_ups", "done"]
        options = dict(events)["clarification"]["options"]
        cid = dict(events)["done"]["conversation_id"]
        answered = stream(client, {"question": "", "conversation_id": cid, "option": options[0]["value"]})
        assert dict(answered)["done"]["status"] in ("answered", "not_found")


def test_bad_requests_fail_before_the_stream_starts(server: ApiServer) -> None:
    with server.client() as client:
        unknown = client.post("/v1/chat/stream", json={"question": "Hallo?", "conversation_id": "weg"})
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "conversation_not_found"
        too_long = client.post("/v1/chat/stream", json={"question": "x" * 2001})
        assert too_long.status_code == 422 and too_long.json()["error"]["code"] == "invalid_input"


def test_a_client_leaving_mid_stream_does_not_lose_the_turn(server: ApiServer) -> None:
    asked = ["Wat zijn de drie thema's van KIS?", "Hoe vaak komt de nieuwsbrief uit?"]
    with server.client() as client:
        cid = client.post("/v1/chat", json={"question": asked[0]}).json()["conversation_id"]
        body = {"question": asked[1], "conversation_id": cid}
        headers = {"X-Request-ID": "weggelopen-client"}
        with client.stream("POST", "/v1/chat/stream", json=body, headers=headers) as response:
            assert next(sse_events(response.iter_lines()))[0] == "status"
        # the connection is closed here, while the answer is still being made
        deadline = time.monotonic() + 20
        while len(turns := client.get(f"/v1/conversations/{cid}").json()["turns"]) < 2:
            assert time.monotonic() < deadline, "de beurt is niet bewaard"
            time.sleep(0.1)
        assert [t["question"] for t in turns] == asked
        lines = [
            r for r in server.log_records() if r["request_id"] == headers["X-Request-ID"] and "status" in r
        ]
        ended, stored = datetime.fromisoformat(lines[0]["time"]), datetime.fromisoformat(turns[1]["created"])
        assert ended < stored, "the stream should have ended before the turn was stored"
        follow_up = {"question": "Wat zijn de drie thema's?", "conversation_id": cid}
        assert client.post("/v1/chat", json=follow_up).status_code == 200


QUESTION = "Wie zitten er in de Raad van advies?"


@pytest.fixture(scope="module")
def llm(
    corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[PassageModel, LlmApi]]:
    model = PassageModel()
    running = LlmApi(corpus_index, tmp_path_factory.mktemp("api-llm"), model).start()
    yield model, running
    running.stop()


def _text(events: list[tuple[str, Any]]) -> str:
    """The answer as a client builds it: deltas added, a replace putting its text in their place."""
    text = ""
    for name, data in events:
        text = text + data["text"] if name == "delta" else data["text"] if name == "replace" else text
    return text


def test_an_llm_answer_is_sent_word_by_word_while_the_model_writes(llm: tuple[PassageModel, LlmApi]) -> None:
    model, api = llm
    model.invent, model.gate = False, Gate()
    with api.client() as client:
        with client.stream("POST", "/v1/chat/stream", json={"question": QUESTION}) as response:
            events = sse_events(response.iter_lines())
            seen = []
            for event in events:
                seen.append(event)
                if sum(name == "delta" for name, _ in seen) == model.first_words:
                    break
            # these words arrived while the model was held after writing them, not after its end
            assert model.gate.held.is_set() and not model.gate.timed_out
            assert [d["text"].strip() for n, d in seen if n == "delta"] == _text(seen).split()
            model.gate.open()
            seen += list(events)
        names = [name for name, _ in seen]
        assert "replace" not in names and names.count("delta") > model.first_words
        done = dict(seen)["done"]
        assert done["status"] == "answered"
        stored = client.get(f"/v1/conversations/{done['conversation_id']}").json()["turns"][0]["reply"]
        assert stored["answer"] == _text(seen) and stored["answer"].endswith("[1]")


def test_an_llm_answer_the_guard_turns_down_is_replaced_in_the_stream(
    llm: tuple[PassageModel, LlmApi],
) -> None:
    model, api = llm
    model.invent, model.gate = True, None
    with api.client() as client:
        events = stream(client, {"question": QUESTION})
        names = [name for name, _ in events]
        at = names.index("replace")
        assert names[:at].count("delta") > 1 and _text(events[:at]) == f"{INVENTED} [1]."  # shown first
        replaced = events[at][1]
        assert replaced["reason"] == "unsupported" and "999.999" not in replaced["text"]
        assert names.count("replace") == 1
        done = dict(events)["done"]
        stored = client.get(f"/v1/conversations/{done['conversation_id']}").json()["turns"][0]["reply"]
        assert stored["answer"] == _text(events) and stored["answer"].startswith(replaced["text"])


def test_an_llm_stops_writing_when_the_client_leaves(
    llm: tuple[PassageModel, LlmApi], caplog: pytest.LogCaptureFixture
) -> None:
    model, api = llm
    model.invent, model.gate = False, Gate()
    caplog.set_level(logging.INFO, logger="rag.answer.llm")
    caplog.set_level(logging.INFO, logger="api.access")
    with api.client() as client:
        with client.stream("POST", "/v1/chat/stream", json={"question": QUESTION}) as response:
            events = sse_events(response.iter_lines())
            conversation = next(events)[1]["conversation_id"]
            assert next(events)[0] == "delta"
        deadline = time.monotonic() + 30
        while not any(getattr(r, "path", "") == "/v1/chat/stream" for r in caplog.records):
            assert time.monotonic() < deadline, "de server zag de client niet weggaan"
            time.sleep(0.05)
        model.gate.open()  # the client has gone: the model's next words are not read
        while not (turns := client.get(f"/v1/conversations/{conversation}").json()["turns"]):
            assert time.monotonic() < deadline, "de beurt is niet bewaard"
            time.sleep(0.1)
    assert turns[0]["reply"]["status"] == "answered"
    assert any("afgebroken" in r.getMessage() for r in caplog.records)
