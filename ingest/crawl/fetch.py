"""Polite HTTP fetching: per-host spacing, retries with backoff, checked redirects, bounded bodies.

Redirects are followed by hand so that every hop passes the same check as a link (allowed host,
path, robots.txt) before it is requested: the crawler never talks to a host outside its list. A
body is streamed and dropped once it passes ``max_bytes``; what is declared as HTML but looks
binary (an image or archive behind ``.html``) is dropped after its first kilobyte.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

import httpx

from ingest.crawl.config import CrawlConfig, host_key, normalize_url

Media = Literal["html", "pdf", "xml", "text"]
FetchStatus = Literal["ok", "not_modified", "gone", "failed", "skipped", "moved"]
Validators = Callable[[str], tuple[str | None, str | None]]
Check = Callable[[str], str | None]  # why a URL may not be requested, or None

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SNIFF_BYTES = 1024
_MAX_RETRY_AFTER = 60.0
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"\xd0\xcf\x11\xe0",
)
_TYPES: dict[str, Media] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/gzip": "xml",
    "application/x-gzip": "xml",
    "text/plain": "text",
}
_UNTYPED = frozenset({"", "application/octet-stream", "binary/octet-stream"})


@dataclass(frozen=True)
class Fetched:
    """The outcome of fetching one URL; ``url`` is where the answer came from, after redirects
    (for "moved": the URL redirected to, which was not requested)."""

    status: FetchStatus
    url: str
    reason: str = ""
    http_status: int | None = None
    media: Media | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    charset: str | None = None


@dataclass
class HostGate:
    """Spaces requests to one host by at least its delay, however many workers ask. Waiters queue
    per host and the gap counts from when the previous request really left, so a stalled event loop
    cannot release two requests at once; a delay raised later (robots.txt) counts at once."""

    default_delay: float
    delays: dict[str, float] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def wait(self, host: str) -> None:
        loop = asyncio.get_running_loop()
        async with self._locks.setdefault(host, asyncio.Lock()):
            if (last := self._last.get(host)) is not None:
                await asyncio.sleep(max(0.0, last + self.delays.get(host, self.default_delay) - loop.time()))
            self._last[host] = loop.time()


class _Skip(Exception):
    """A response that is fine but not wanted (type, size, binary content)."""


@dataclass(frozen=True)
class _Retry:
    reason: str
    http_status: int | None = None
    wait: float | None = None


class Fetcher:
    """GETs with the crawl's manners; callers get a ``Fetched`` and never an exception."""

    def __init__(self, client: httpx.AsyncClient, config: CrawlConfig, gate: HostGate) -> None:
        self._client = client
        self._config = config
        self._gate = gate

    async def fetch(
        self,
        url: str,
        accept: frozenset[Media],
        check: Check,
        validators: Validators | None = None,
        have: Callable[[str], bool] | None = None,
    ) -> Fetched:
        """Fetch ``url`` following at most ``max_redirects`` redirects, each hop passing ``check``.
        A redirect to a URL the caller already ``have``s ends as "moved" without requesting it."""
        chain = [url]
        for _ in range(self._config.max_redirects + 1):
            outcome = await self._attempts(chain[-1], accept, validators)
            if isinstance(outcome, Fetched):
                return outcome
            target = normalize_url(outcome, chain[-1])
            if target is None:
                return Fetched("failed", chain[-1], f"ongeldige doorverwijzing naar {outcome!r}")
            if target in chain:
                return Fetched("failed", chain[-1], f"doorverwijzingslus via {target}")
            if (reason := check(target)) is not None:
                return Fetched("skipped", chain[-1], f"doorverwijzing naar {target} niet gevolgd: {reason}")
            if have is not None and have(target):
                return Fetched("moved", target)
            chain.append(target)
        return Fetched("failed", chain[-1], f"meer dan {self._config.max_redirects} doorverwijzingen")

    async def _attempts(
        self, url: str, accept: frozenset[Media], validators: Validators | None
    ) -> Fetched | str:
        """The response to ``url`` itself (retrying 5xx, 429 and time-outs), or a redirect location."""
        headers: dict[str, str] = {}
        if validators is not None:
            etag, modified = validators(url)
            headers.update({"If-None-Match": etag} if etag else {})
            headers.update({"If-Modified-Since": modified} if modified else {})
        attempt = 0
        while True:
            await self._gate.wait(host_key(url))
            try:
                async with asyncio.timeout(self._config.total_timeout):
                    outcome = await self._once(url, accept, headers)
            except (httpx.TimeoutException, TimeoutError):
                outcome = _Retry("time-out")
            except httpx.TransportError as exc:
                outcome = _Retry(f"verbindingsfout ({type(exc).__name__})")
            if not isinstance(outcome, _Retry):
                return outcome
            if attempt >= self._config.retries:
                return Fetched(
                    "failed", url, f"{outcome.reason} na {attempt + 1} pogingen", outcome.http_status
                )
            await asyncio.sleep(
                outcome.wait if outcome.wait is not None else self._config.backoff * 2**attempt
            )
            attempt += 1

    async def _once(
        self, url: str, accept: frozenset[Media], headers: dict[str, str]
    ) -> Fetched | str | _Retry:
        async with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in _REDIRECTS:
                location = response.headers.get("location")
                return location if location else Fetched("failed", url, "doorverwijzing zonder adres", status)
            if status == 304:
                return Fetched("not_modified", url, http_status=status)
            if status in (404, 410):
                return Fetched("gone", url, f"niet gevonden ({status})", status)
            if status == 429 or status >= 500:
                reason = "te veel verzoeken (429)" if status == 429 else f"serverfout {status}"
                return _Retry(reason, status, _retry_after(response.headers.get("retry-after")))
            if status != 200:
                return Fetched("failed", url, f"HTTP-status {status}", status)
            try:
                media, body = await self._read(response, url, accept)
            except _Skip as skip:
                return Fetched("skipped", url, str(skip), status)
            return Fetched(
                "ok",
                url,
                http_status=status,
                media=media,
                body=body,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                charset=response.charset_encoding,
            )

    async def _read(
        self, response: httpx.Response, url: str, accept: frozenset[Media]
    ) -> tuple[Media, bytes]:
        declared = response.headers.get("content-type", "").split(";")[0].strip().lower()
        media = _TYPES.get(declared) or (_guess(url) if declared in _UNTYPED else None)
        if media is None or media not in accept:
            raise _Skip(f"inhoudstype {declared or 'onbekend'} wordt overgeslagen")
        limit = self._config.max_bytes
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise _Skip(f"te groot ({int(length)} bytes, grens {limit})")
        body = bytearray()
        sniffed: Media | None = None
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise _Skip(f"te groot (meer dan {limit} bytes)")
            if sniffed is None and len(body) >= _SNIFF_BYTES:
                sniffed = _sniffed(media, bytes(body[:_SNIFF_BYTES]))
        sniffed = sniffed or _sniffed(media, bytes(body[:_SNIFF_BYTES]))
        if sniffed not in accept:
            raise _Skip(f"inhoud is {sniffed} terwijl {declared or 'niets'} is opgegeven")
        return sniffed, bytes(body)


def _sniffed(declared: Media, head: bytes) -> Media:
    """What the first bytes say the body is; raises _Skip for binary content in a text type."""
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if declared == "pdf":
        raise _Skip("geen PDF-bestand, al is het zo aangekondigd")
    if declared == "xml" and head[:2] == b"\x1f\x8b":
        return "xml"
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        raise _Skip("binaire inhoud onder een teksttype")
    return declared


def _guess(url: str) -> Media:
    path = urlsplit(url).path.lower()
    if path.endswith(".pdf"):
        return "pdf"
    if path.endswith((".xml", ".xml.gz")):
        return "xml"
    return "text" if path.endswith(".txt") else "html"


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (number or HTTP date), capped so one server cannot stall a crawl."""
    if not value:
        return None
    if value.strip().isdigit():
        return min(float(value), _MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    delta = when.timestamp() - time.time()
    return min(max(delta, 0.0), _MAX_RETRY_AFTER)
