"""Crawled guides and dossiers in the same cited index as the work plan, kept current on re-crawl."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.crawl.crawler import STATE_NAME, crawl_sync
from kis.settings import Settings
from kis.wiring import build_assistant, ingest
from rag.embedders import Embedder
from rag.store.index import Index
from tests.conftest import SettingsFactory
from tests.fixture_site import Site, serve_site, site_config


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as running:
        del running.registry.routes["/dossiers/traag"]  # no hang: this test crawls twice
        yield running


def crawl(site: Site, settings: Settings) -> None:
    crawl_sync(site_config(site), settings.crawl_dir / STATE_NAME, settings.crawl_dir)


def empty_corpus(path: Path) -> Path:
    """A corpus with nothing of its own, so only crawled documents are indexed (and fast)."""
    path.mkdir()
    (path / "manifest.json").write_text(json.dumps({"documents": []}), encoding="utf-8")
    return path


def test_crawled_pages_are_answered_with_citations_to_their_urls(
    site: Site, make_settings: SettingsFactory, embedder: Embedder, tmp_path: Path
) -> None:
    settings = make_settings(corpus_dir=empty_corpus(tmp_path / "corpus"))
    crawl(site, settings)
    report = ingest(settings, embedder)
    index = Index.open(settings.index_dir)
    kinds = {doc["kind"] for doc in index.info.documents}
    assert {"kennisgids", "dossier"} <= kinds
    assert report.chunks == len(index.chunks) > 0

    assistant = build_assistant(settings, embedder=embedder)
    reply = assistant.answer("Welke rollen onderscheidt het model van een polarisatieproces?")
    assert reply.status == "answered", reply.answer
    urls = {c.url for c in reply.citations}
    assert site.url("/kennisgidsen/polarisatie") in urls
    cited = next(c for c in reply.citations if c.url == site.url("/kennisgidsen/polarisatie"))
    assert index.document_text(cited.doc_id)[cited.start : cited.end] == cited.snippet


def test_page_gone_from_the_site_leaves_the_index_on_the_next_ingest(
    site: Site, make_settings: SettingsFactory, embedder: Embedder, tmp_path: Path
) -> None:
    settings = make_settings(corpus_dir=empty_corpus(tmp_path / "corpus"))
    crawl(site, settings)
    ingest(settings, embedder)
    before = {doc["origin"] for doc in Index.open(settings.index_dir).info.documents}
    gone = site.url("/kennisgidsen/racisme")
    assert gone in before
    site.registry.unlist("/kennisgidsen/racisme")
    crawl(site, settings)
    report = ingest(settings, embedder)
    after = {doc["origin"] for doc in Index.open(settings.index_dir).info.documents}
    assert after == before - {gone}
    assert report.embedded == 0  # nothing else changed: nothing embedded again
