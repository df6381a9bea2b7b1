"""Manners: robots.txt rules and Crawl-delay, our own delay, bounded concurrency, measured at the server."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.crawl.crawler import crawl_sync
from ingest.crawl.robots import Robots
from tests.fixture_site import Site, load_registry, serve_site, site_config

UA = "KIS-Kennisassistent/0.1 (+https://www.kis.nl)"


@pytest.fixture
def site() -> Iterator[Site]:
    registry = load_registry()
    del registry.routes["/dossiers/traag"]
    with serve_site(registry) as running:
        yield running


def _gaps(site: Site) -> list[float]:
    times = sorted(hit.at for hit in site.registry.hits)
    return [b - a for a, b in itertools.pairwise(times)]


@pytest.mark.parametrize(("robots_delay", "own_delay"), [(0.15, 0.0), (0.0, 0.15)])
def test_requests_to_a_host_are_spaced_by_the_larger_delay(
    site: Site, tmp_path: Path, robots_delay: float, own_delay: float
) -> None:
    site.registry.crawl_delay = robots_delay
    page = "/kennisgidsen/polarisatie"
    config = site_config(site, seeds=(site.url(page),), path_prefixes=(page,), delay=own_delay, concurrency=4)
    crawl_sync(config, tmp_path / "state.sqlite", tmp_path / "snap")
    gaps = _gaps(site)
    assert len(gaps) >= 6  # robots, sitemap index, two sitemaps, the page, its PDF and infographic
    # The server stamps arrival, which a busy machine may delay for one request and not the next:
    # the typical gap and the whole span show the spacing, the smallest gap only roughly.
    assert statistics.median(gaps) >= 0.14 and sum(gaps) >= 0.14 * len(gaps), gaps
    assert min(gaps) >= 0.075, gaps


def test_without_delays_requests_follow_each_other_closely(site: Site, tmp_path: Path) -> None:
    """The control for the test above: the measurement does see requests closer than the delay."""
    page = "/kennisgidsen/polarisatie"
    config = site_config(site, seeds=(site.url(page),), path_prefixes=(page,), concurrency=4)
    crawl_sync(config, tmp_path / "state.sqlite", tmp_path / "snap")
    assert statistics.median(_gaps(site)) < 0.05


def test_concurrency_is_bounded(site: Site, tmp_path: Path) -> None:
    """A time-out no page comes near: a request the client gives up on and retries while the server
    still works on it would count twice (it happens on a loaded machine)."""
    site.registry.page_sleep = 0.05
    crawl_sync(site_config(site, concurrency=3, timeout=10.0), tmp_path / "state.sqlite", tmp_path / "snap")
    assert 2 <= site.registry.max_inflight <= 3


def test_unreadable_robots_txt_forbids_everything(site: Site, tmp_path: Path) -> None:
    site.registry.robots_status = 503
    summary = crawl_sync(site_config(site, retries=0), tmp_path / "state.sqlite", tmp_path / "snap")
    assert summary.fetched == 0 and summary.skipped == 2  # the two seeds, not requested
    assert site.registry.requested() == {"/robots.txt"}


ROBOTS = """
User-agent: GPTBot
Disallow: /
Crawl-delay: 30

User-agent: kis-kennisassistent
User-agent: andere-bot
Disallow: /intern/
Crawl-delay: 0.5

User-agent: *
Disallow: /
Crawl-delay: 2

Sitemap: https://www.kis.nl/sitemap.xml
"""


def test_robots_group_for_our_agent_with_fractional_delay() -> None:
    robots = Robots(UA)
    rules = robots.load("www.kis.nl", 200, ROBOTS)
    assert robots.allowed("www.kis.nl", "https://www.kis.nl/kennisgidsen/polarisatie")
    assert not robots.allowed("www.kis.nl", "https://www.kis.nl/intern/concept")
    assert robots.delay("www.kis.nl") == 0.5
    assert rules.sitemaps == ("https://www.kis.nl/sitemap.xml",)
    other = Robots("SomeBot/1.0")
    other.load("www.kis.nl", 200, ROBOTS)
    assert not other.allowed("www.kis.nl", "https://www.kis.nl/kennisgidsen/polarisatie")
    assert other.delay("www.kis.nl") == 2.0


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (410, True), (401, False), (403, False), (500, False), (None, False)]
)
def test_robots_missing_allows_unreadable_forbids(status: int | None, allowed: bool) -> None:
    robots = Robots(UA)
    robots.load("www.kis.nl", status, "")
    assert robots.allowed("www.kis.nl", "https://www.kis.nl/kennisgidsen") is allowed
    assert robots.delay("www.kis.nl") is None


def test_unknown_host_is_never_allowed() -> None:
    assert not Robots(UA).allowed("elders.nl", "https://elders.nl/")
