"""Re-crawls and resumes: conditional GET, content hashes, removals, and no refetch after a crash."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.crawl.config import host_key
from ingest.crawl.crawler import crawl, crawl_sync, finished_runs, load_documents
from tests.fixture_site import Site, load_registry, serve_site, site_config


@pytest.fixture
def site() -> Iterator[Site]:
    registry = load_registry()
    del registry.routes["/dossiers/traag"]  # no hang: these tests crawl the site several times
    with serve_site(registry) as running:
        yield running


def _paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "state.sqlite", tmp_path / "snap"


def _texts(tmp_path: Path, site: Site) -> dict[str, str]:
    return {d.info.origin.removeprefix(site.base): d.text for d in load_documents(*_paths(tmp_path))}


def test_unchanged_site_is_revalidated_with_conditional_get(site: Site, tmp_path: Path) -> None:
    config = site_config(site)
    first = crawl_sync(config, *_paths(tmp_path))
    before = len(site.registry.hits)
    second = crawl_sync(config, *_paths(tmp_path))
    assert first.new == first.changed > 0 and second.new == 0
    assert (second.run, second.changed, second.unchanged, second.removed) == (2, 0, first.changed, 0)
    runs = finished_runs(_paths(tmp_path)[0])
    recorded = [(r.run, r.counts.new, r.counts.unchanged) for r in runs]
    assert recorded == [(2, 0, first.changed), (1, first.new, 0)]
    assert runs[0].hosts == {host_key(site.base)} and runs[0].started <= runs[0].finished
    again = [h for h in site.registry.hits[before:] if h.path == "/kennisgidsen/polarisatie"]
    assert len(again) == 1 and again[0].if_none_match is not None
    assert _texts(tmp_path, site).keys() == {
        d.info.origin.removeprefix(site.base) for d in load_documents(*_paths(tmp_path))
    }


def test_new_last_modified_with_same_content_is_unchanged(site: Site, tmp_path: Path) -> None:
    page = "/dossiers/wat-werkt-bij-polarisatie"
    config = site_config(site, seeds=(site.url(page),), sitemaps=(), path_prefixes=(page,))
    crawl_sync(config, *_paths(tmp_path))
    second = crawl_sync(config, *_paths(tmp_path))
    hits = [h for h in site.registry.hits if h.path == page]
    assert hits[1].if_modified_since is not None and hits[1].if_none_match is None
    assert (second.changed, second.unchanged) == (0, 2)  # the page and its PDF


def test_changed_page_is_detected_and_stored(site: Site, tmp_path: Path) -> None:
    config = site_config(site)
    crawl_sync(config, *_paths(tmp_path))
    site.registry.set_content(
        "/kennisgidsen/racisme",
        "<article><h1>Kennisgids Racisme</h1><h2>Nieuw</h2><p>Een nieuwe alinea over racisme.</p></article>",
    )
    second = crawl_sync(config, *_paths(tmp_path))
    assert (second.changed, second.new) == (1, 0)
    assert "Een nieuwe alinea over racisme." in _texts(tmp_path, site)["/kennisgidsen/racisme"]


def test_page_gone_twice_is_removed(site: Site, tmp_path: Path) -> None:
    config = site_config(site)
    crawl_sync(config, *_paths(tmp_path))
    site.registry.remove("/kennisgidsen/moslimdiscriminatie")
    site.registry.remove("/kennisgidsen/moslimdiscriminatie-en-islamofobie")
    once = crawl_sync(config, *_paths(tmp_path))
    assert once.removed == 0
    assert "/kennisgidsen/moslimdiscriminatie" in _texts(tmp_path, site)  # one 404 may be a hiccup
    twice = crawl_sync(config, *_paths(tmp_path))
    assert twice.removed == 2
    assert not any("moslimdiscriminatie" in path for path in _texts(tmp_path, site))


def test_duplicate_takes_over_when_the_first_url_goes(site: Site, tmp_path: Path) -> None:
    config = site_config(site)
    first = crawl_sync(config, *_paths(tmp_path))
    assert first.duplicates == 1
    site.registry.remove("/kennisgidsen/moslimdiscriminatie")
    crawl_sync(config, *_paths(tmp_path))
    crawl_sync(config, *_paths(tmp_path))
    texts = _texts(tmp_path, site)
    assert "/kennisgidsen/moslimdiscriminatie" not in texts
    assert "Islamofobie verwijst" in texts["/kennisgidsen/moslimdiscriminatie-en-islamofobie"]


def test_page_dropped_from_the_sitemap_is_removed(site: Site, tmp_path: Path) -> None:
    config = site_config(site)
    crawl_sync(config, *_paths(tmp_path))
    site.registry.unlist("/kennisgidsen/racisme")
    before = site.registry.count("/kennisgidsen/racisme")
    second = crawl_sync(config, *_paths(tmp_path))
    assert second.removed == 1
    assert "/kennisgidsen/racisme" not in _texts(tmp_path, site)
    assert site.registry.count("/kennisgidsen/racisme") == before  # removed without a request


def _visited(state: Path, run: int) -> set[str]:
    with sqlite3.connect(state) as db:
        return {row[0] for row in db.execute("SELECT url FROM urls WHERE visited_run = ?", (run,))}


def test_interrupted_crawl_resumes_without_refetching(site: Site, tmp_path: Path) -> None:
    config = site_config(site, concurrency=2)

    async def interrupted() -> None:
        def stop_after_five(done: int, known: int) -> None:
            if done >= 5:
                task.cancel()

        task = asyncio.create_task(crawl(config, *_paths(tmp_path), progress=stop_after_five))
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    done = _visited(tmp_path / "state.sqlite", 1)
    assert 5 <= len(done) < 20
    counts = {url: site.registry.count(url.removeprefix(site.base)) for url in done}
    resumed = crawl_sync(config, *_paths(tmp_path))
    assert resumed.resumed and resumed.run == 1
    for url, count in counts.items():
        assert site.registry.count(url.removeprefix(site.base)) == count, f"{url} opnieuw opgehaald"
    assert len(load_documents(*_paths(tmp_path))) == 8


def test_max_depth_stops_at_seeds_and_sitemap_pages(site: Site, tmp_path: Path) -> None:
    crawl_sync(site_config(site, max_depth=0), *_paths(tmp_path))
    requested = site.registry.requested()
    assert "/kennisgidsen/racisme" in requested  # in the sitemap: depth 0
    assert "/kennisgidsen/gelijke-kansen-in-het-onderwijs" not in requested  # only linked: depth 1
    assert "/media/publicaties/wat-werkt-bij-polarisatie.pdf" not in requested


def test_max_pages_limits_the_crawl(site: Site, tmp_path: Path) -> None:
    limited = crawl_sync(site_config(site, max_pages=3, concurrency=1), *_paths(tmp_path))
    assert limited.fetched + limited.failed + limited.skipped == 3
