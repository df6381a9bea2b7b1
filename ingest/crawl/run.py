"""One crawl run: robots.txt and sitemaps first, then workers that fetch, extract and record pages.

Scope is checked twice: when a link is found (allowed host, and for pages an allowed path) and
when a URL is about to be requested (the same plus robots.txt, for every redirect hop as well).
Sitemaps may sit outside the path prefixes; PDFs linked from pages may live anywhere on an allowed
host.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from ingest.crawl.config import CrawlConfig, host_key, normalize_url
from ingest.crawl.fetch import Fetched, Fetcher, HostGate, Media
from ingest.crawl.pages import PageKeeper, role_of
from ingest.crawl.robots import MAX_ROBOTS_BYTES, Robots
from ingest.crawl.sitemap import parse_sitemap
from ingest.crawl.state import CrawlState, QueueItem, Visit
from rag.errors import SourceError

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (URLs done, URLs known) in this run
_PAGE_MEDIA: frozenset[Media] = frozenset({"html", "pdf"})
# A start page (or a page a sitemap lists) may turn out to be a sitemap: read as one by its content.
_START_MEDIA: frozenset[Media] = _PAGE_MEDIA | {"xml"}
_SITEMAP_PATH = (".xml", ".xml.gz")
_MAX_SITEMAPS = 500


class CrawlRun:
    """Setup (robots, sitemaps, seeds, known documents), then workers draining the frontier."""

    def __init__(
        self,
        config: CrawlConfig,
        state: CrawlState,
        snapshot_dir: Path,
        fetcher: Fetcher,
        gate: HostGate,
        run: int,
        progress: Progress | None = None,
    ) -> None:
        self.config = config
        self.state = state
        self.fetcher = fetcher
        self.gate = gate
        self.run = run
        self.progress = progress
        self.robots = Robots(config.user_agent)
        self.queue: asyncio.Queue[QueueItem] = asyncio.Queue()
        self.started = self.done = state.visited_count(run)
        self.keeper = PageKeeper(config, state, snapshot_dir, self.blocked, self._enqueue)

    async def execute(self) -> None:
        await self._load_robots()
        if not self.state.setup_done(self.run):
            await self._setup()
        for item in self.state.frontier(self.run):
            self.queue.put_nowait(item)
        workers = [asyncio.create_task(self._worker()) for _ in range(self.config.concurrency)]
        try:
            await self.queue.join()
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    def fetchable(self, url: str) -> str | None:
        """Why ``url`` may not be requested at all (host, robots.txt), or None."""
        if not self.config.host_allowed(url):
            return "buiten de toegestane hosts"
        return None if self.robots.allowed(host_key(url), url) else "verboden door robots.txt"

    def blocked(self, url: str) -> str | None:
        """Why ``url`` may not be requested as a page or PDF, or None."""
        if role_of(url) == "page" and self.config.host_allowed(url) and not self.config.page_allowed(url):
            return "buiten de toegestane paden"
        return self.fetchable(url)

    async def _load_robots(self) -> None:
        starts = (*self.config.seeds, *self.config.sitemaps)
        origins = {host_key(u): f"{urlsplit(u).scheme}://{host_key(u)}" for u in starts}
        for host in sorted(self.config.hosts):
            url = f"{origins.get(host, f'https://{host}')}/robots.txt"
            fetched = await self.fetcher.fetch(url, frozenset({"text", "html"}), self._same_host(host))
            status = {"ok": 200, "gone": 404}.get(fetched.status, fetched.http_status)
            if fetched.status == "skipped" or len(fetched.body) > MAX_ROBOTS_BYTES:
                status = None
            self.robots.load(host, status, fetched.body.decode("utf-8", "replace"))
            delay = self.robots.delay(host)
            if delay is not None and delay > self.config.delay:
                self.gate.delays[host] = delay

    @staticmethod
    def _same_host(host: str) -> Callable[[str], str | None]:
        return lambda url: None if host_key(url) == host else "robots.txt verwijst naar een andere host"

    async def _setup(self) -> None:
        """A new run: read the sitemaps (removing what they dropped), queue seeds and known documents."""
        # a seed named like a sitemap ("…/sitemap.xml") is read as one, whatever its path prefix
        listed = [s for s in self.config.seeds if urlsplit(s).path.lower().endswith(_SITEMAP_PATH)]
        named = [
            *self.config.sitemaps,
            *listed,
            *(s for rules in self.robots.hosts.values() for s in rules.sitemaps),
        ]
        if named and await self._read_sitemaps(named):
            self.state.remove_unlisted(self.run)
        for seed in (s for s in self.config.seeds if s not in listed):
            url = normalize_url(seed)
            if url is None or not self.config.page_allowed(url):
                logger.warning("Startpagina %s valt buiten de toegestane hosts of paden.", seed)
                continue
            self.state.enqueue(url, run=self.run, depth=0, role=role_of(url), source="seed")
        self.state.requeue_known(self.run)
        self.state.set_setup_done(self.run)

    async def _read_sitemaps(self, named: list[str]) -> bool:
        """Queue the pages of all sitemaps (indexes followed); True when every one could be read."""
        pending = [url for name in dict.fromkeys(named) if (url := normalize_url(name)) is not None]
        seen: set[str] = set()
        complete = True
        while pending and len(seen) < _MAX_SITEMAPS:
            url = pending.pop(0)
            if url in seen:
                continue
            seen.add(url)
            try:
                if (reason := self.fetchable(url)) is not None:
                    raise SourceError(f"Sitemap {url} overgeslagen: {reason}.")
                fetched = await self.fetcher.fetch(url, frozenset({"xml"}), self.fetchable)
                if fetched.status != "ok":
                    raise SourceError(f"Sitemap {url} niet opgehaald: {fetched.reason or fetched.status}.")
                sitemap = parse_sitemap(fetched.body, url, self.config.max_bytes)
            except SourceError as exc:
                logger.warning("%s", exc)
                complete = False
                continue
            targets = [t for loc in sitemap.locations if (t := normalize_url(loc, url)) is not None]
            if sitemap.is_index:
                pending.extend(targets)
                continue
            for target in filter(self.keeper.followable, targets):
                self.state.enqueue(target, run=self.run, depth=0, role=role_of(target), source="sitemap")
        return complete and not pending

    def _listed(self, url: str, visit: Visit, fetched: Fetched) -> None:
        """A start page served as XML: a sitemap's pages (or an index's sitemaps) join the crawl."""
        try:
            sitemap = parse_sitemap(fetched.body, url, self.config.max_bytes)
        except SourceError as exc:
            self.state.record_skipped(url, visit, f"XML en geen sitemap ({exc})")
            return
        targets = [t for loc in sitemap.locations if (t := normalize_url(loc, url)) is not None]
        queued = [t for t in targets if sitemap.is_index or self.keeper.followable(t)]
        for target in queued:
            role = role_of(target)
            if self.state.enqueue(target, run=self.run, depth=0, role=role, source="sitemap"):
                self.queue.put_nowait(QueueItem(target, role, 0, None))
        self.state.record_skipped(url, visit, f"sitemap gelezen: {len(queued)} adressen in de wachtrij")

    def _enqueue(self, links: Iterable[tuple[str, str]], depth: int) -> None:
        if self.config.max_depth is not None and depth > self.config.max_depth:
            return
        for url, text in links:
            role = role_of(url)
            if self.state.enqueue(
                url, run=self.run, depth=depth, role=role, source="link", hint=text or None
            ):
                self.queue.put_nowait(QueueItem(url, role, depth, text or None))

    async def _worker(self) -> None:
        while True:
            item = await self.queue.get()
            try:
                if self.config.max_pages is None or self.started < self.config.max_pages:
                    self.started += 1
                    await self._visit(item)
                    self.done += 1
            except Exception:  # one page's bug must not stop the crawl; it is logged with its URL
                logger.exception("Onverwachte fout bij %s", item.url)
                self.state.record_failed(item.url, Visit(self.run, item.role, item.depth), "onverwachte fout")
            finally:
                self.queue.task_done()
            if self.progress is not None:
                self.progress(self.done, self.done + self.queue.qsize())

    async def _visit(self, item: QueueItem) -> None:
        visit = Visit(self.run, item.role, item.depth)
        if self.state.visited(item.url, self.run):  # reached already as a redirect target
            return
        if (reason := self.blocked(item.url)) is not None:
            logger.info("Overgeslagen %s: %s", item.url, reason)
            self.state.record_skipped(item.url, visit, reason)
            return
        fetched = await self.fetcher.fetch(
            item.url,
            _START_MEDIA if item.depth == 0 else _PAGE_MEDIA,
            self.blocked,
            self.state.validators,
            lambda url: self.state.visited(url, self.run),
        )
        if fetched.status == "failed":
            logger.warning("Mislukt %s: %s", item.url, fetched.reason)
            self.state.record_failed(item.url, visit, fetched.reason)
            return
        if fetched.status == "skipped":
            logger.info("Overgeslagen %s: %s", item.url, fetched.reason)
            self.state.record_skipped(item.url, visit, fetched.reason)
            return
        url = fetched.url
        if url != item.url:
            self.state.record_alias(item.url, url, visit)
            if fetched.status == "moved" or self.state.visited(url, self.run):
                return
            visit = Visit(self.run, role_of(url), item.depth)
        if fetched.status == "not_modified":
            self.keeper.unchanged(url, visit)
        elif fetched.status == "gone":
            if self.state.record_gone(url, visit, fetched.reason):
                logger.info("Verwijderd (twee keer niet gevonden): %s", url)
        elif fetched.media == "pdf":
            self.keeper.pdf(url, visit, fetched, item.hint)
        elif fetched.media == "xml":
            self._listed(url, visit, fetched)
        else:
            self.keeper.html(url, visit, fetched)
