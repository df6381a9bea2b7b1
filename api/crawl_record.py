"""Each configured web source as the Bronnen overview shows it: its last crawl from the crawl record,
its pages and their dates from the loaded index (what questions are answered from)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from api.models import CrawlFigures, DateRange, LastCrawlOut, SiteOut
from ingest.crawl.config import host_key
from ingest.crawl.sources import Sources, source_hosts
from ingest.crawl.state import RunRecord


def site_overview(
    sources: Iterable[Sources], runs: list[RunRecord], crawled: list[dict[str, Any]]
) -> list[SiteOut]:
    """One entry per source; ``runs`` newest first, ``crawled`` the index's crawled documents."""
    return [_site(source, runs, crawled) for source in sources]


def _site(source: Sources, runs: list[RunRecord], crawled: list[dict[str, Any]]) -> SiteOut:
    hosts = source_hosts(source)
    last = next((run for run in runs if run.hosts & hosts), None)
    pages = [doc for doc in crawled if host_key(str(doc.get("origin", ""))) in hosts]
    return SiteOut(
        name=source.name,
        hosts=sorted(hosts),
        last_crawl=None
        if last is None
        else LastCrawlOut(
            run=last.run,
            started=datetime.fromisoformat(last.started),
            finished=datetime.fromisoformat(last.finished),
            figures=CrawlFigures.of(last.counts),
        ),
        pages=len(pages),
        published=_range(doc.get("published") for doc in pages),
        modified=_range(doc.get("modified") for doc in pages),
    )


def _range(dates: Iterable[str | None]) -> DateRange | None:
    """First and last of the dates given (by their day; ISO sorts as text)."""
    days = sorted(date[:10] for date in dates if date)
    return DateRange(first=days[0], last=days[-1]) if days else None
