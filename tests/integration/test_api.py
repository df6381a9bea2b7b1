"""The API end to end: a real uvicorn on loopback over the real corpus index, talked to with httpx."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kis.settings import Settings
from tests.api_server import ApiServer, admin_headers, api_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    workdir = tmp_path_factory.mktemp("api")
    settings = api_settings(corpus_index, workdir, cors_origins=["https://ui.kis.example"])
    running = ApiServer(settings, workdir).start()
    yield running
    running.stop()


def chat(client: httpx.Client, question: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/chat", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_health_ready_and_request_ids(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "build": None}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["build"]
    assert len(ready.headers["x-request-id"]) == 32
    assert (
        client.get("/healthz", headers={"X-Request-ID": "mijn-id.1"}).headers["x-request-id"] == "mijn-id.1"
    )
    assert client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["x-request-id"] != "<script>"


def test_cors_allows_only_configured_origins(client: httpx.Client) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = client.options("/v1/chat", headers={"Origin": "https://ui.kis.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://ui.kis.example"
    other = client.get("/healthz", headers={"Origin": "https://elders.example"})
    assert "access-control-allow-origin" not in other.headers


def test_chat_answers_with_citations_and_stores_the_turn(client: httpx.Client) -> None:
    body = chat(client, "Wie zitten er in de Raad van advies?")
    assert body["status"] == "answered"
    assert "Raad van advies" in body["answer"]
    assert body["citations"] and body["citations"][0]["chunk_id"]
    conversation = client.get(f"/v1/conversations/{body['conversation_id']}").json()
    assert [t["id"] for t in conversation["turns"]] == [body["message_id"]]
    assert conversation["turns"][0]["reply"]["answer"] == body["answer"]
    assert conversation["expires"] > conversation["updated"]


def test_conversation_continues_with_its_scope(client: httpx.Client) -> None:
    asked = ["Wat kost project 3 polarisatie?", "En wat is de doelgroep van dat project?"]
    first = chat(client, asked[0])
    second = chat(client, asked[1], conversation_id=first["conversation_id"])
    assert second["conversation_id"] == first["conversation_id"]
    assert second["status"] == "answered"
    assert all("Project 3." in c["section"] for c in second["citations"])
    turns = client.get(f"/v1/conversations/{first['conversation_id']}").json()["turns"]
    assert [t["question"] for t in turns] == asked
    assert [t["id"] for t in turns] == [first["message_id"], second["message_id"]]


def test_clarification_then_an_offered_option(client: httpx.Client) -> None:
    asked = chat(client, "Wat is de doelgroep?")
    assert asked["status"] == "clarify"
    options = asked["clarification"]["options"]
    assert len(options) >= 2
    chosen = next(o for o in options if o["value"] != "ander")
    answer = chat(client, "", conversation_id=asked["conversation_id"], option=chosen["value"])
    assert answer["status"] in ("answered", "not_found")
    wrong = client.post(
        "/v1/chat",
        json={"question": "", "conversation_id": asked["conversation_id"], "option": chosen["value"]},
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_option"


def test_delete_conversation(client: httpx.Client) -> None:
    body = chat(client, "Wat zijn de drie thema's van KIS?")
    path = f"/v1/conversations/{body['conversation_id']}"
    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404
    assert client.delete(path).json()["error"]["code"] == "conversation_not_found"


def test_search_with_filters(client: httpx.Client) -> None:
    hits = client.get("/v1/search", params={"q": "doelgroep", "project": 3, "k": 4}).json()["hits"]
    assert 0 < len(hits) <= 4
    assert all(h["project"] == 3 for h in hits)
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    kind = client.get("/v1/search", params={"q": "Raad van advies", "kind": "werkplan"}).json()["hits"]
    assert kind and all(h["kind"] == "werkplan" for h in kind)
    assert client.get("/v1/search", params={"q": "Raad van advies", "kind": "dossier"}).json()["hits"] == []


def test_source_with_context_and_highlight(client: httpx.Client) -> None:
    hit = client.get("/v1/search", params={"q": "Raad van advies", "k": 1}).json()["hits"][0]
    source = client.get(f"/v1/sources/{hit['chunk_id']}", params={"context_chars": 200}).json()
    mark = source["highlight"]
    assert source["context"][mark["start"] : mark["end"]] == hit["text"]
    assert source["context_start"] == max(0, hit["start"] - 200)
    snippet = client.get(
        f"/v1/sources/{hit['chunk_id']}", params={"start": hit["start"], "end": hit["start"] + 10}
    )
    marked = snippet.json()["highlight"]
    assert snippet.json()["context"][marked["start"] : marked["end"]] == hit["text"][:10]
    assert client.get("/v1/sources/bestaat-niet:0").json()["error"]["code"] == "source_not_found"
    assert (
        client.get(f"/v1/sources/{hit['chunk_id']}", params={"start": 10**9, "end": 10**9 + 1}).status_code
        == 422
    )


def test_a_document_opens_at_the_section_of_a_citation_with_its_snippet_marked(client: httpx.Client) -> None:
    reply = client.post("/v1/chat", json={"question": "Wie zitten er in de Raad van advies?"}).json()
    cited = reply["citations"][0]
    view = client.get(
        f"/v1/documents/{cited['doc_id']}", params={"start": cited["start"], "end": cited["end"]}
    ).json()
    assert view["section"]["section"] == cited["section"] and len(view["sections"]) > 10
    mark = view["highlight"]
    assert view["text"][mark["start"] : mark["end"]] == cited["snippet"]  # in its place in the section
    other = client.get(f"/v1/documents/{cited['doc_id']}", params={"section": 0}).json()
    assert other["section"] == view["sections"][0] and other["highlight"] is None
    assert client.get("/v1/documents/bestaat-niet").json()["error"]["code"] == "document_not_found"
    far = client.get(f"/v1/documents/{cited['doc_id']}", params={"start": 10**9, "end": 10**9 + 1})
    assert far.status_code == 422
    unknown = client.post("/v1/chat", json={"question": "Hoeveel woont de burgemeester van Zwolle?"}).json()
    assert unknown["status"] == "not_found" and unknown["pointers"]
    pointer = unknown["pointers"][0]
    assert pointer["label"] in unknown["answer"]  # each place the reply names, with a passage to open
    assert client.get(f"/v1/sources/{pointer['chunk_id']}").status_code == 200


def test_documents_report_the_index(client: httpx.Client) -> None:
    body = client.get("/v1/documents").json()
    assert body["build"]["id"] == client.get("/readyz").json()["build"]
    werkplan = next(d for d in body["documents"] if d["id"] == "werkplan-2026")
    assert werkplan["status"] == "geïndexeerd" and werkplan["chunks"] > 10


def test_budget_records_totals_and_findings(client: httpx.Client) -> None:
    body = client.get("/v1/budget", params={"project": 3}).json()
    assert body["rows"] and all(r["scope_kind"] == "project" and r["scope"] == "3" for r in body["rows"])
    assert [t["row_kind"] for t in body["totals"]] == ["total"]
    movisie = client.get("/v1/budget", params={"organisation": "Movisie"}).json()
    assert movisie["rows"] and all(r["organisation"] == "Movisie" for r in movisie["rows"])
    assert all(t["row_kind"] == "subtotal" for t in movisie["totals"])
    everything = client.get("/v1/budget").json()
    assert everything["findings"] and all(f["message"] for f in everything["findings"])
    assert client.get("/v1/budget", params={"project": 3, "onderdeel": "A"}).status_code == 422


def test_feedback_stored_replaced_and_exported(client: httpx.Client) -> None:
    body = chat(client, "Hoe vaak komt de nieuwsbrief uit?")
    given = client.post("/v1/feedback", json={"message_id": body["message_id"], "rating": "up"})
    assert given.status_code == 201 and given.json()["question"] == "Hoe vaak komt de nieuwsbrief uit?"
    again = {"message_id": body["message_id"], "rating": "down", "comment": "=SUM(A1) klopt niet"}
    assert client.post("/v1/feedback", json=again).json()["id"] == given.json()["id"]
    assert client.post("/v1/feedback", json={"message_id": "onbekend", "rating": "up"}).status_code == 404
    assert client.get("/v1/feedback").status_code == 401
    assert client.get("/v1/feedback", headers={"Authorization": "Bearer fout"}).status_code == 401
    listed = client.get("/v1/feedback", headers=admin_headers()).json()
    mine = [f for f in listed if f["message_id"] == body["message_id"]]
    assert [(f["rating"], f["comment"]) for f in mine] == [("down", "=SUM(A1) klopt niet")]
    exported = client.get("/v1/feedback", params={"format": "csv", "rating": "down"}, headers=admin_headers())
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert any(r["message_id"] == body["message_id"] and r["comment"] == "'=SUM(A1) klopt niet" for r in rows)


def test_metrics_count_routes_and_answers(client: httpx.Client) -> None:
    chat(client, "Wat is de totale begroting van KIS in 2026?")
    text = client.get("/metrics").text
    assert 'kis_http_requests_total{method="POST",route="/v1/chat",status="200"}' in text
    assert 'route="/v1/conversations/{conversation_id}"' in text
    assert "kis_answers_total{status=" in text
    assert "kis_retrieval_duration_seconds_count" in text


def test_openapi_documents_every_route_and_the_limits_it_enforces(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    assert document["components"]["schemas"]["ChatRequest"]["properties"]["question"]["maxLength"] == 2000
    query = {p["name"]: p for p in paths["/v1/search"]["get"]["parameters"]}
    assert query["q"]["schema"]["maxLength"] == 2000 and "50" in str(query["k"]["schema"])
    assert "niet allebei" in client.get("/v1/budget", params={"project": 3, "onderdeel": "A"}).text
    assert "kies er één" in paths["/v1/budget"]["get"]["description"]
    assert {
        "/v1/chat",
        "/v1/chat/stream",
        "/v1/feedback",
        "/v1/search",
        "/v1/budget",
        "/v1/admin/ingest",
        "/v1/admin/crawl",
    } <= set(paths)
    assert "SiteOut" in document["components"]["schemas"]


QUESTIONS = [
    "Wie zitten er in de Raad van advies?",
    "Wat kost project 3 polarisatie?",
    "Hoe vaak komt de nieuwsbrief uit?",
    "Wat zijn de drie thema's van KIS?",
    "Hoeveel ontvangt Movisie in totaal in 2026?",
    "Wat doet de AI chatbot pilot van KIS?",
    "Wat is de doelgroep?",
    "Wat doet KIS aan klimaatverandering?",
]


def test_parallel_conversations_each_see_only_their_own_turns(server: ApiServer, tmp_path: Path) -> None:
    """200 conversations, 16 requests at a time, two turns each: no turn lands in another conversation."""

    async def one(http: httpx.AsyncClient, gate: asyncio.Semaphore, n: int) -> tuple[str, list[str]]:
        asked = [
            f"{QUESTIONS[n % len(QUESTIONS)]} (gesprek {n})",
            f"En wat is daar het budget van? (gesprek {n})",
        ]
        async with gate:
            first = await http.post("/v1/chat", json={"question": asked[0]})
            assert first.status_code == 200, first.text
            cid = first.json()["conversation_id"]
            second = await http.post("/v1/chat", json={"question": asked[1], "conversation_id": cid})
            assert second.status_code == 200, second.text
            turns = (await http.get(f"/v1/conversations/{cid}")).json()["turns"]
        assert [t["question"] for t in turns] == asked
        assert [t["id"] for t in turns] == [first.json()["message_id"], second.json()["message_id"]]
        return cid, asked

    async def run() -> list[tuple[str, list[str]]]:
        gate = asyncio.Semaphore(16)
        limits = httpx.Limits(max_connections=16)
        async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as http:
            return await asyncio.gather(*(one(http, gate, n) for n in range(200)))

    results = asyncio.run(run())
    assert len({cid for cid, _ in results}) == 200
