"""Every bad request gets a 4xx in the one error shape, with a Dutch message and no internals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kis.settings import Settings
from tests.api_server import ApiServer, admin_headers, api_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    workdir = tmp_path_factory.mktemp("api-errors")
    running = ApiServer(api_settings(corpus_index, workdir, max_body_bytes=4096), workdir).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def limited(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """Five requests a minute, and no admin key configured."""
    workdir = tmp_path_factory.mktemp("api-limited")
    settings = api_settings(corpus_index, workdir, rate_limit_per_minute=5, admin_api_key=None)
    running = ApiServer(settings, workdir).start()
    yield running
    running.stop()


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "request_id"}
    error: dict[str, Any] = body["error"]
    assert error["code"] == code
    assert error["request_id"] == response.headers["x-request-id"]
    for internal in ("Traceback", "/tmp", "/work", 'File "', "Exception"):
        assert internal not in response.text
    return error


def post(
    client: httpx.Client, path: str, content: str | bytes, content_type: str = "application/json"
) -> httpx.Response:
    return client.post(path, content=content, headers={"Content-Type": content_type})


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        ('{"question": ', "invalid_json", "geen geldige JSON"),
        ("[1, 2]", "validation_error", "JSON-object"),
        ('"vraag"', "validation_error", "JSON-object"),
        ("{}", "validation_error", "'question' ontbreekt"),
        ('{"question": 42}', "validation_error", "'question' heeft een ongeldige waarde"),
        ('{"question": "Hoi", "conversation_id": 7}', "validation_error", "'conversation_id'"),
        ('{"question": "Hoi", "vraag": "extra"}', "validation_error", "'vraag' is onbekend"),
        ('{"question": "   "}', "invalid_input", "De vraag is leeg"),
        ('{"question": "' + "x" * 2001 + '"}', "invalid_input", "te lang"),
        ('{"question": "Wat kost \\ud800 project 3?"}', "invalid_input", "geen tekst"),
        ('{"question": "Wat kost\\u0000 project 3?"}', "invalid_input", "geen tekst"),
    ],
)
def test_bad_chat_bodies(client: httpx.Client, content: str, code: str, words: str) -> None:
    for path in ("/v1/chat", "/v1/chat/stream"):
        error = assert_error(post(client, path, content), 422, code)
        assert words in error["message"]


def test_conversation_and_option_errors(client: httpx.Client) -> None:
    unknown = client.post(
        "/v1/chat", json={"question": "Hoi", "conversation_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert "bestaat niet" in assert_error(unknown, 404, "conversation_not_found")["message"]
    assert_error(client.get("/v1/conversations/onbekend"), 404, "conversation_not_found")
    assert_error(client.post("/v1/chat", json={"question": "", "option": "project=3"}), 422, "invalid_option")
    answered = client.post("/v1/chat", json={"question": "Wie zitten er in de Raad van advies?"}).json()
    no_pending = {"question": "", "conversation_id": answered["conversation_id"], "option": "project=3"}
    assert_error(client.post("/v1/chat", json=no_pending), 422, "invalid_option")
    asked = client.post("/v1/chat", json={"question": "Wat is de doelgroep?"}).json()
    assert asked["status"] == "clarify"
    foreign = {"question": "", "conversation_id": asked["conversation_id"], "option": "project=99"}
    assert (
        "hoort niet bij"
        in assert_error(client.post("/v1/chat", json=foreign), 422, "invalid_option")["message"]
    )


def test_oversized_bodies(client: httpx.Client) -> None:
    big = '{"question": "' + "x" * 5000 + '"}'
    assert_error(post(client, "/v1/chat", big), 413, "payload_too_large")

    def chunked() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    streamed = client.post("/v1/chat", content=chunked(), headers={"Content-Type": "application/json"})
    assert_error(streamed, 413, "payload_too_large")


def test_other_bad_requests(client: httpx.Client) -> None:
    assert_error(post(client, "/v1/chat", "question=hoi", "text/plain"), 422, "validation_error")
    assert_error(client.get("/v1/bestaat-niet"), 404, "not_found")
    assert_error(client.put("/v1/chat", json={}), 405, "method_not_allowed")
    searches: list[dict[str, str | int]] = [
        {},
        {"q": "x", "k": 0},
        {"q": "x", "project": "drie"},
        {"q": "x", "onderdeel": "Z"},
    ]
    for params in searches:
        assert_error(client.get("/v1/search", params=params), 422, "validation_error")
    for body in (
        {"message_id": "x", "rating": "meh"},
        {"message_id": "x"},
        {"message_id": "x", "rating": "up", "c": 1},
    ):
        assert_error(client.post("/v1/feedback", json=body), 422, "validation_error")
    assert_error(
        client.post("/v1/feedback", json={"message_id": "x", "rating": "up"}), 404, "message_not_found"
    )
    csv_as_xml = client.get("/v1/feedback", headers=admin_headers(), params={"format": "xml"})
    assert_error(csv_as_xml, 422, "validation_error")
    assert_error(client.get("/v1/admin/ingest/onbekend", headers=admin_headers()), 404, "job_not_found")
    assert_error(client.post("/v1/admin/ingest"), 401, "unauthorized")


def client_from(server: ApiServer, address: str) -> httpx.Client:
    """A client with its own loopback address: the limiter keeps a bucket per client address."""
    return httpx.Client(base_url=server.url, timeout=30, transport=httpx.HTTPTransport(local_address=address))


def test_rate_limit_answers_429_with_retry_after(limited: ApiServer) -> None:
    with client_from(limited, "127.0.0.2") as client, client_from(limited, "127.0.0.3") as other:
        statuses = [client.get("/v1/search", params={"q": "doelgroep"}).status_code for _ in range(8)]
        assert statuses == [200] * 5 + [429] * 3
        refused = client.get("/v1/documents")
        error = assert_error(refused, 429, "rate_limited")
        assert 1 <= int(refused.headers["retry-after"]) <= 12
        assert refused.headers["retry-after"] in error["message"]
        assert client.get("/healthz").status_code == 200  # probes are never limited
        assert other.get("/v1/documents").status_code == 200  # another client has its own bucket


def test_a_forwarded_for_header_picks_no_bucket_of_its_own(limited: ApiServer) -> None:
    """Without configured proxies, rotating X-Forwarded-For from 127.0.0.1 (which uvicorn would
    trust by default) does not escape the limit."""
    with client_from(limited, "127.0.0.1") as client:
        statuses = [
            client.get("/v1/documents", headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code
            for n in range(8)
        ]
    assert statuses.count(429) >= 3


def test_admin_routes_are_off_without_a_key(limited: ApiServer) -> None:
    with client_from(limited, "127.0.0.4") as client:
        assert_error(client.get("/v1/feedback", headers=admin_headers()), 403, "admin_disabled")
        assert_error(client.post("/v1/admin/ingest", headers=admin_headers()), 403, "admin_disabled")
