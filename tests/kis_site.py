"""A KIS-like knowledge site on 127.0.0.1, served from ``tests/fixtures/kis_site`` as a CMS would.

``pages/<path>.html`` is served at ``/<path>`` (``index.html`` at ``/``); ``sitemap.xml`` and
``robots.txt`` name the server's own address where they say ``{{BASE}}``. Anything else is a 404.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from kis.bench.site import serve_in_thread

SITE = Path(__file__).parent / "fixtures" / "kis_site"
TYPES = {".xml": "application/xml", ".txt": "text/plain; charset=utf-8"}


def page_file(path: str) -> Path | None:
    """The file that answers ``path``, if any; never one outside the site."""
    clean = urlsplit(path).path.strip("/")
    if ".." in clean.split("/"):
        return None
    if clean in ("sitemap.xml", "robots.txt"):
        return SITE / clean
    if clean == "sitemap":  # the same sitemap at a path that does not say it is XML
        return SITE / "sitemap.xml"
    candidate = SITE / "pages" / f"{clean or 'index'}.html"
    return candidate if candidate.is_file() else None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    robots_names_sitemap = True

    def do_GET(self) -> None:
        found = page_file(self.path)
        if found is None:
            body, status, kind = b"<h1>Pagina niet gevonden</h1>", 404, "text/html; charset=utf-8"
        else:
            base = f"http://{self.headers.get('Host', '127.0.0.1')}"
            text = found.read_text(encoding="utf-8").replace("{{BASE}}", base)
            if found.name == "robots.txt" and not self.robots_names_sitemap:
                text = "\n".join(line for line in text.splitlines() if not line.startswith("Sitemap:"))
            body = text.encode()
            status, kind = 200, TYPES.get(found.suffix, "text/html; charset=utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read the crawler's outcome, not the server's log."""


@contextmanager
def serve_kis_site(*, robots_names_sitemap: bool = True) -> Iterator[str]:
    """The site on a free loopback port; yields its base URL. Its robots.txt names the sitemap, as
    the real site's does, unless a test needs a crawler to find it otherwise."""
    handler = type("Handler", (_Handler,), {"robots_names_sitemap": robots_names_sitemap})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    with serve_in_thread(server, threading.Event()) as base:
        yield base
