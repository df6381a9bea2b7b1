"""What the crawler keeps of a fetched page or PDF: its links, aliases, document and snapshots.

A page that names another URL as canonical becomes an alias of it and the canonical URL is queued,
so a document is always stored under its canonical URL; its id derives from that URL. Snapshots
(the raw body and the parsed document as JSON) are written only when the content changed, each
file whole or not at all.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from ingest.crawl.config import CrawlConfig, doc_id_for
from ingest.crawl.fetch import Check, Fetched
from ingest.crawl.state import CrawlState, Role, SavedLink, Visit
from ingest.parse.blocks import content_hash, document_to_json
from ingest.parse.html import HtmlPage, extract_html
from ingest.parse.pdf import extract_pdf
from rag.errors import SourceError
from rag.schema import Block, DocKind, DocumentInfo, ParsedDocument

logger = logging.getLogger(__name__)

Enqueue = Callable[[Iterable[tuple[str, str]], int], None]  # (URL, link text) pairs at a depth

_NOT_PAGES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".svg",
    ".webp",
    ".zip",
    ".docx",
    ".xlsx",
    ".pptx",
    ".mp3",
    ".mp4",
)


def role_of(url: str) -> Role:
    return "pdf" if urlsplit(url).path.lower().endswith(".pdf") else "page"


def doc_path(snapshot_dir: Path, doc_id: str) -> Path:
    return snapshot_dir / "docs" / f"{doc_id}.json"


class PageKeeper:
    """Turns a fetched page or PDF into recorded links and a stored document."""

    def __init__(
        self, config: CrawlConfig, state: CrawlState, snapshot_dir: Path, blocked: Check, enqueue: Enqueue
    ) -> None:
        self.config = config
        self.state = state
        self.snapshot_dir = snapshot_dir
        self.blocked = blocked
        self.enqueue = enqueue

    def followable(self, url: str) -> bool:
        """Whether a link is worth queueing: in scope and not obviously a file of another kind."""
        if role_of(url) == "pdf":
            return self.config.host_allowed(url)
        return self.config.page_allowed(url) and not urlsplit(url).path.lower().endswith(_NOT_PAGES)

    def html(self, url: str, visit: Visit, fetched: Fetched) -> None:
        try:
            page = extract_html(fetched.body, url, fetched.charset)
        except SourceError as exc:
            logger.warning("%s", exc)
            self.state.record_failed(url, visit, str(exc))
            return
        self._links(url, page, visit.depth + 1)
        canonical = page.canonical
        if (
            canonical
            and canonical != url
            and self.blocked(canonical) is None
            and self.state.alias_of(canonical) != url
        ):
            self.state.record_alias(url, canonical, visit)
            self.enqueue([(canonical, page.title)], visit.depth)
        elif page.noindex:
            self.state.record_skipped(url, visit, "noindex")
        elif all(block.kind == "heading" for block in page.blocks):
            self.state.record_skipped(url, visit, "alleen links (overzichtspagina)")
        else:
            kind = self.config.kind_of(url, page.breadcrumbs, "artikel")
            info = replace(
                _info(url, page.title, kind, page.year),
                authors=page.meta.authors,
                published=page.meta.published,
                modified=page.meta.modified,
                contacts=page.contacts,
            )
            self._store(url, visit, info, page.text, page.blocks, fetched)

    def pdf(self, url: str, visit: Visit, fetched: Fetched, hint: str | None) -> None:
        try:
            pdf = extract_pdf(fetched.body, url, hint)
        except SourceError as exc:
            logger.warning("%s", exc)
            self.state.record_failed(url, visit, str(exc))
            return
        kind = self.config.kind_of(url, (), "publicatie")
        self._store(url, visit, _info(url, pdf.title, kind, pdf.year), pdf.text, pdf.blocks, fetched)

    def unchanged(self, url: str, visit: Visit) -> None:
        """A 304: the page is as before, so are its links; they are queued again from the state."""
        self.state.record_not_modified(url, visit)
        self.enqueue(
            [(link.target, link.text) for link in self.state.links_from(url) if link.role], visit.depth + 1
        )

    def _links(self, url: str, page: HtmlPage, depth: int) -> None:
        """Save the page's links (followed and related) and queue the followed ones."""
        related = {link.url for link in page.related}
        followed = [link for link in page.links if not page.nofollow and self.followable(link.url)]
        roles: dict[str, Role] = {link.url: role_of(link.url) for link in followed}
        saved = [
            SavedLink(link.url, link.text, roles.get(link.url), link.url in related)
            for link in page.links
            if link.url in roles or link.url in related
        ]
        self.state.save_links(url, saved)
        self.enqueue([(link.url, link.text) for link in followed], depth)

    def _store(
        self,
        url: str,
        visit: Visit,
        info: DocumentInfo,
        text: str,
        blocks: tuple[Block, ...],
        fetched: Fetched,
    ) -> None:
        """Record the content; write the snapshots when it changed (or when they went missing)."""
        doc = ParsedDocument(info, text, blocks)
        is_document = self.config.is_document(url)
        validators = (fetched.etag, fetched.last_modified)
        outcome = self.state.record_content(
            url, visit, content_hash(doc), info.id if is_document else None, validators
        )
        path = doc_path(self.snapshot_dir, info.id)
        if is_document and (outcome != "unchanged" or not path.exists()):
            _write(self.snapshot_dir / "raw" / f"{info.id}.{fetched.media}", fetched.body)
            _write(path, document_to_json(doc).encode())


def _info(url: str, title: str, kind: DocKind, year: int | None) -> DocumentInfo:
    """The document's identity: id from its canonical URL, provenance with the fetch time."""
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    provenance = f"gecrawld {fetched_at}"
    return DocumentInfo(doc_id_for(url), title or url, kind, "KIS", year, url, provenance)


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all, so a killed crawl leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
