"""The fetcher against scripted responses (httpx.MockTransport): retries, redirects, sizes, sniffing."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from ingest.crawl.config import CrawlConfig
from ingest.crawl.fetch import Fetched, Fetcher, HostGate, Media

BASE = "https://www.kis.nl"
PAGES: frozenset[Media] = frozenset({"html", "pdf"})
HTML = b"<html><body><main><p>Tekst</p></main></body></html>"

Handler = Callable[[httpx.Request], httpx.Response]


def _fetch(handler: Handler, url: str = f"{BASE}/a", **config: Any) -> tuple[Fetched, list[str]]:
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return handler(request)

    defaults: dict[str, Any] = {
        "seeds": (BASE + "/",),
        "delay": 0.0,
        "retries": 2,
        "backoff": 0.01,
        "max_bytes": 10_000,
    }
    settings = CrawlConfig(**{**defaults, **config})

    async def run() -> Fetched:
        async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as client:
            fetcher = Fetcher(client, settings, HostGate(0.0))
            return await fetcher.fetch(url, PAGES, lambda u: None if u.startswith(BASE) else "andere host")

    return asyncio.run(run()), seen


def test_server_errors_are_retried_with_retry_after() -> None:
    replies = iter(
        [
            httpx.Response(503, headers={"Retry-After": "0"}),
            httpx.Response(500),
            httpx.Response(200, content=HTML, headers={"Content-Type": "text/html"}),
        ]
    )
    fetched, seen = _fetch(lambda request: next(replies))
    assert fetched.status == "ok" and fetched.body == HTML and len(seen) == 3


def test_gives_up_after_the_retries() -> None:
    fetched, seen = _fetch(lambda request: httpx.Response(502))
    assert (fetched.status, fetched.http_status, len(seen)) == ("failed", 502, 3)
    assert fetched.reason == "serverfout 502 na 3 pogingen"


def test_transport_errors_are_retried() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("verbinding geweigerd", request=request)

    fetched, seen = _fetch(handler, retries=1)
    assert fetched.status == "failed" and "ConnectError" in fetched.reason and len(seen) == 2


def test_redirect_hops_are_checked_and_off_list_hosts_never_requested() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/a":
            return httpx.Response(301, headers={"Location": "/b#deel"})
        return httpx.Response(302, headers={"Location": "https://elders.example/c"})

    fetched, seen = _fetch(handler)
    assert seen == [f"{BASE}/a", f"{BASE}/b"]
    assert fetched.status == "skipped" and fetched.url == f"{BASE}/b" and "andere host" in fetched.reason


def test_too_many_redirects_fail() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": f"/p{int(request.url.path[2:] or 0) + 1}"})

    fetched, seen = _fetch(handler, url=f"{BASE}/p0", max_redirects=3)
    assert fetched.status == "failed" and "meer dan 3" in fetched.reason and len(seen) == 4


def test_declared_length_over_the_limit_is_not_read() -> None:
    fetched, _ = _fetch(
        lambda r: httpx.Response(200, content=b"x" * 20_000, headers={"Content-Type": "text/html"})
    )
    assert fetched.status == "skipped" and fetched.reason == "te groot (20000 bytes, grens 10000)"


def test_streamed_body_over_the_limit_is_cut_off() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"<p>" + b"a" * 1000 + b"</p>"

    response = httpx.Response(200, content=chunks(), headers={"Content-Type": "text/html"})
    fetched, _ = _fetch(lambda r: response)
    assert fetched.status == "skipped" and fetched.reason == "te groot (meer dan 10000 bytes)"


@pytest.mark.parametrize(
    ("ctype", "body", "status", "media"),
    [
        ("text/html; charset=utf-8", HTML, "ok", "html"),
        ("application/octet-stream", b"%PDF-1.7\n...", "ok", "pdf"),
        ("text/html", b"%PDF-1.4\n...", "ok", "pdf"),
        ("text/html", b"PK\x03\x04" + b"\x00" * 2000, "skipped", None),
        ("text/html", b"<p>tekst</p>\x00\x00", "skipped", None),
        ("application/pdf", b"<html>geen pdf</html>", "skipped", None),
        ("image/png", b"\x89PNG...", "skipped", None),
        ("application/zip", b"PK...", "skipped", None),
    ],
)
def test_content_type_and_sniffing(ctype: str, body: bytes, status: str, media: str | None) -> None:
    fetched, _ = _fetch(
        lambda r: httpx.Response(200, content=body, headers={"Content-Type": ctype}), url=f"{BASE}/x.pdf"
    )
    assert (fetched.status, fetched.media) == (status, media)


def test_conditional_get_and_not_modified() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["If-None-Match"] == '"v1"'
        assert request.headers["If-Modified-Since"] == "Mon, 12 Jun 2023 08:00:00 GMT"
        return httpx.Response(304)

    async def run() -> Fetched:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            fetcher = Fetcher(client, CrawlConfig(seeds=(BASE,), delay=0.0), HostGate(0.0))
            return await fetcher.fetch(
                f"{BASE}/a", PAGES, lambda u: None, lambda u: ('"v1"', "Mon, 12 Jun 2023 08:00:00 GMT")
            )

    assert asyncio.run(run()).status == "not_modified"


@pytest.mark.parametrize(("code", "status"), [(404, "gone"), (410, "gone"), (403, "failed")])
def test_gone_and_other_client_errors(code: int, status: str) -> None:
    fetched, seen = _fetch(lambda r: httpx.Response(code))
    assert fetched.status == status and len(seen) == 1  # no retry for 4xx


def test_host_gate_spaces_concurrent_requests_from_their_real_start() -> None:
    async def run() -> list[float]:
        gate = HostGate(0.05)
        loop = asyncio.get_running_loop()
        starts: list[float] = []

        async def one(stall: bool) -> None:
            await gate.wait("www.kis.nl")
            starts.append(loop.time())
            if stall:
                time.sleep(0.08)  # a busy event loop: the next request may not follow at once

        await asyncio.gather(*(one(stall=i == 1) for i in range(4)), gate.wait("andere.host"))
        return starts

    starts = asyncio.run(run())
    assert all(b - a >= 0.05 for a, b in itertools.pairwise(starts)), starts
