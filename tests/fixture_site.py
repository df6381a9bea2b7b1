"""A KIS-like web site on 127.0.0.1 for crawler tests, with the misbehaviour of real sites.

Pages come from ``tests/fixtures/site`` (content fragments in one page layout with navigation,
cookie banner and footer); ``routes.json`` says what each path does: a page, a raw file, a redirect,
a 500 on the first request, a hang, a huge body, binary bytes, a PDF. The routes live in a mutable
``Registry`` so a test can change, remove or unlist pages between two crawls, and every request is
logged so tests can count what the crawler asked for.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ingest.crawl.config import CrawlConfig
from kis.bench.site import serve_in_thread

SITE = Path(__file__).parent / "fixtures" / "site"
FIXED_LAST_MODIFIED = "Mon, 12 Jun 2023 08:00:00 GMT"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    path: str
    host: str
    at: float
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str


@dataclass
class Registry:
    """Routes, sitemaps and behaviour switches; tests mutate it between crawls."""

    routes: dict[str, dict[str, Any]]
    sitemaps: dict[str, list[str]]
    crawl_delay: float = 0.0
    robots_status: int = 200
    hang_seconds: float = 5.0
    page_sleep: float = 0.0
    hits: list[Hit] = field(default_factory=list)
    failed_once: set[str] = field(default_factory=set)
    inflight: int = 0
    max_inflight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def set_content(self, path: str, html: str) -> None:
        """Replace the page's content fragment (the layout stays)."""
        self.routes[path] = {**self.routes[path], "html": html}

    def remove(self, path: str) -> None:
        self.routes[path] = {"status": 404}

    def unlist(self, path: str) -> None:
        for paths in self.sitemaps.values():
            if path in paths:
                paths.remove(path)

    def count(self, path: str, host: str | None = None) -> int:
        with self.lock:
            return sum(1 for h in self.hits if h.path == path and (host is None or h.host == host))

    def requested(self) -> set[str]:
        with self.lock:
            return {h.path for h in self.hits}


@dataclass
class Site:
    """The running server: its base URL and registry."""

    base: str
    registry: Registry

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc

    def url(self, path: str) -> str:
        return self.base + path


def load_registry() -> Registry:
    data = json.loads((SITE / "routes.json").read_text(encoding="utf-8"))
    return Registry(routes=copy.deepcopy(data["pages"]), sitemaps=copy.deepcopy(data["sitemaps"]))


@contextmanager
def serve_site(registry: Registry | None = None) -> Iterator[Site]:
    """Run the fixture site on a free port of 127.0.0.1 for the duration of the block."""
    registry = registry or load_registry()
    publication_pdf()  # built before the first request, which would otherwise time out
    with serve_in_thread(_Server(("127.0.0.1", 0), _handler(registry)), registry.release) as base:
        yield Site(base, registry)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-request (time-out, body too large) is no server error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler(registry: Registry) -> type[BaseHTTPRequestHandler]:
    class Handler(_SiteHandler):
        reg = registry

    return Handler


class _SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; no 40 ms delayed-ACK stall
    reg: Registry

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr log; requests are kept in the registry instead."""

    def do_GET(self) -> None:
        hit = Hit(
            path=self.path,
            host=self.headers.get("Host", ""),
            at=time.monotonic(),
            if_none_match=self.headers.get("If-None-Match"),
            if_modified_since=self.headers.get("If-Modified-Since"),
            user_agent=self.headers.get("User-Agent", ""),
        )
        with self.reg.lock:
            self.reg.hits.append(hit)
            self.reg.inflight += 1
            self.reg.max_inflight = max(self.reg.max_inflight, self.reg.inflight)
        self._waiting = True
        try:
            self._respond()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up (body too large, time-out)
        finally:
            self._answered()

    def send_response(self, code: int, message: str | None = None) -> None:
        self._answered()
        super().send_response(code, message)

    def _answered(self) -> None:
        """A request is in flight until its response starts: after that the client may send its next
        one while this thread still writes or winds down, which is no extra concurrency."""
        if self._waiting:
            self._waiting = False
            with self.reg.lock:
                self.reg.inflight -= 1

    @property
    def base(self) -> str:
        return f"http://{self.headers.get('Host', '')}"

    def _respond(self) -> None:
        path = urlsplit(self.path).path
        if path == "/robots.txt" and self.reg.robots_status != 200:
            return self._send(self.reg.robots_status, b"Tijdelijk niet beschikbaar", "text/plain")
        if path == "/robots.txt":
            text = (SITE / "robots.txt").read_text(encoding="utf-8")
            text = text.replace("{{delay}}", f"{self.reg.crawl_delay:g}").replace("{{base}}", self.base)
            return self._send(200, text.encode(), "text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return self._send(200, _sitemap_index(self.base, list(self.reg.sitemaps)), "application/xml")
        if path in self.reg.sitemaps:
            return self._send(200, _urlset(self.base, self.reg.sitemaps[path]), "application/xml")
        route = self.reg.routes.get(path)
        if route is None or route.get("status") == 404:
            return self._send(404, b"<html><body><h1>Pagina niet gevonden</h1></body></html>", "text/html")
        if route.get("fail_once") and path not in self.reg.failed_once:
            self.reg.failed_once.add(path)
            return self._send(500, b"Interne serverfout", "text/plain")
        if route.get("hang"):
            self.reg.release.wait(self.reg.hang_seconds)
        if self.reg.page_sleep:
            time.sleep(self.reg.page_sleep)
        if "redirect" in route:
            port = str(urlsplit(self.base).port)
            location = str(route["redirect"]).replace("{{port}}", port)
            return self._send(int(route.get("status", 302)), b"", "text/html", {"Location": location})
        if "huge" in route:
            return self._huge(int(route["huge"]), bool(route.get("stream")))
        if route.get("binary"):
            return self._send(200, PNG_BYTES, str(route["type"]))
        if "pdf" in route:
            body = publication_pdf() if route["pdf"] == "publication" else BROKEN_PDF
            return self._send(200, body, "application/pdf", self._validators(body, volatile=False))
        if "raw" in route:
            body = (SITE / "raw" / str(route["raw"])).read_bytes()
            return self._send(200, body, "text/html; charset=utf-8")
        body = _render(route, path, self.base).encode()
        headers = self._validators(body, volatile=bool(route.get("volatile")))
        if "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
            return self._send(304, b"", None, headers)
        return self._send(200, body, "text/html; charset=utf-8", headers)

    def _validators(self, body: bytes, *, volatile: bool) -> dict[str, str]:
        if volatile:  # a CMS that stamps every response as new
            return {"Last-Modified": format_datetime(dt.datetime.now(dt.UTC), usegmt=True)}
        return {"ETag": f'"{hashlib.sha1(body).hexdigest()[:16]}"', "Last-Modified": FIXED_LAST_MODIFIED}

    def _send(
        self, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _huge(self, size: int, stream: bool) -> None:
        """A page far over any sane size; streamed without Content-Length when ``stream``."""
        chunk = b"<p>Archief: verslag van een bijeenkomst over gelijke kansen.</p>\n" * 1000
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if stream:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        sent = 0
        while sent < size:
            self.wfile.write(chunk[: size - sent])
            sent += len(chunk)


def _render(route: dict[str, Any], path: str, base: str) -> str:
    layout = (SITE / "layout.html").read_text(encoding="utf-8")
    content = route.get("html") or (SITE / "pages" / str(route["page"])).read_text(encoding="utf-8")
    canonical = route.get("canonical", path)
    crumbs = route.get("crumbs", ["Home"])
    links = ["/", *(f"/{'/'.join(path.strip('/').split('/')[: i + 1])}" for i in range(len(crumbs) - 1))]
    values = {
        "title": str(route.get("title", "")),
        "date": str(route.get("date", "2020-01-01")),
        "canonical": f'<link rel="canonical" href="{base}{canonical}">' if canonical else "",
        "breadcrumbs": "".join(
            f'<li><a href="{href}">{name}</a></li>' for href, name in zip(links, crumbs, strict=False)
        ),
        "url": base + path,
        "generated": dt.datetime.now(dt.UTC).isoformat() if route.get("volatile") else "12 juni 2023",
        "content": content,
    }
    for key, value in values.items():
        layout = layout.replace("{{" + key + "}}", value)
    return layout


def _sitemap_index(base: str, paths: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    ).encode()


def _urlset(base: str, paths: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{base}{p}</loc><lastmod>2024-01-01</lastmod></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


BROKEN_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00\xff garbage " * 40


@cache
def publication_pdf() -> bytes:
    """A four-page KIS publication with running header and footer, chapters over page breaks,
    a word broken at a line end and a bullet list; made with fpdf2 so no binary is committed."""
    from tests.fixtures.site.publication import build_publication

    return build_publication()


def site_config(site: Site, **overrides: Any) -> CrawlConfig:
    """A crawl config for the fixture site: fast time-outs and no delay unless a test asks."""
    values: dict[str, Any] = {
        "seeds": (site.url("/kennisgidsen"), site.url("/dossiers")),
        "sitemaps": (site.url("/sitemap.xml"),),
        "path_prefixes": ("/kennisgidsen", "/dossiers"),
        "follow_only": (r"^/kennisgidsen/?$", r"^/dossiers/?$"),
        "user_agent": "KIS-Kennisassistent-test/1.0 (+https://www.kis.nl)",
        "delay": 0.0,
        "timeout": 0.25,
        "retries": 1,
        "backoff": 0.02,
        "max_bytes": 1_000_000,
        **overrides,
    }
    return CrawlConfig(**values)
