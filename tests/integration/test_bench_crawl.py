"""The crawl benchmark end to end on a small synthetic site: its figures must agree with each other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ingest.crawl.pages
from ingest.crawl.crawler import STATE_NAME, crawl_sync
from ingest.parse.pdf import extract_pdf
from kis import wiring
from kis.bench.crawl import bench_config, bench_crawl
from kis.bench.embedding import HashEmbedder
from kis.bench.reports import page_count, render_report, report_path, report_title
from kis.bench.site import SyntheticSite, page_content, render_page, serve_synthetic
from rag.embedders import Embedder
from tests.conftest import SettingsFactory

SMALL_REPORTS = (2, 3)  # pages per report in these tests; the benchmark's are 20-80


def test_generated_pages_are_stable_and_a_new_version_rewrites_them() -> None:
    assert render_page(7, 0, 100, "http://h") == render_page(7, 0, 100, "http://h")
    title, old = page_content(7, 0, 100)
    same_title, new = page_content(7, 1, 100)
    assert title == same_title and old != new
    assert old.count("<h2>") == new.count("<h2>")  # same outline, new text
    assert page_content(8, 0, 100)[1] != old


def test_a_report_is_stable_readable_and_rewritten_by_a_new_version() -> None:
    assert render_report(3, 0) == render_report(3, 0)
    old = extract_pdf(render_report(3, 0), "http://h" + report_path(3))
    new = extract_pdf(render_report(3, 1), "http://h" + report_path(3))
    assert old.pages == new.pages == page_count(3) and 20 <= old.pages <= 80
    assert old.title == report_title(3) and old.text != new.text
    assert "Kennisplatform Inclusief Samenleven |" not in old.text  # the running header is dropped
    assert {block.page for block in old.blocks} == set(range(1, old.pages + 1))


def test_linked_reports_are_crawled_into_passages_cited_by_page(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    settings = make_settings(corpus_dir=_empty_corpus(tmp_path))
    site = SyntheticSite(6, reports=2, report_pages=SMALL_REPORTS)
    with serve_synthetic(site):
        summary = crawl_sync(bench_config(site.base, 2), settings.crawl_dir / STATE_NAME, settings.crawl_dir)
        urls = {k: site.url(report_path(k)) for k in range(2)}
    assert summary.changed == 8  # 6 pages, 2 reports
    wiring.ingest(settings, HashEmbedder())
    chunks = wiring.open_index(settings).chunks.values()
    for k, url in urls.items():
        cited = [chunk for chunk in chunks if chunk.url == url]
        assert cited and all(chunk.kind == "publicatie" for chunk in cited)
        assert {chunk.page for chunk in cited} == set(range(1, page_count(k, SMALL_REPORTS) + 1))


def test_bench_crawl_figures_are_consistent(
    make_settings: SettingsFactory, embedder: Embedder, tmp_path: Path
) -> None:
    extract = ingest.crawl.pages.extract_pdf
    result, path = bench_crawl(
        make_settings(),
        tmp_path / "bench",
        embedder,
        pages=24,
        reports=2,
        report_pages=SMALL_REPORTS,
        changed_fraction=0.1,
    )
    assert result.report_pages == sum(page_count(k, SMALL_REPORTS) for k in range(2))
    assert result.chunks > result.pages + result.reports
    assert result.embedded_texts == result.chunks  # the counting embedder saw every passage embedded
    assert result.floor_sample == result.chunks  # fewer passages than the floor's sample size
    assert result.embed_ratio == pytest.approx(
        result.embedded_chars / result.ingest_s / result.floor_chars_per_s, rel=0.02
    )
    assert (result.changed_pages, result.changed_reports, result.recrawl_changed) == (2, 1, 3)
    assert result.reembedded_chunks == result.changed_chunks > 0  # only the changed documents' chunks
    assert result.killed_after_documents == 13  # half of 24 pages and 2 reports
    assert result.killed_after_documents + result.resumed_documents == 26
    assert result.refetches == 0
    assert result.crawl_stages["parse PDF"] > 0 and result.index_stages["embed"] > 0
    assert ingest.crawl.pages.extract_pdf is extract  # the stopwatch put it back
    assert set(result.targets) == {"embed_ratio", "peak_rss", "recrawl_share"}
    assert isinstance(result.targets["embed_ratio"], bool)  # judged: the real embedder
    assert 0 < result.peak_rss_mb < result.rss_target_mb
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["refetches"] == 0 and saved["embed_ratio"] == result.embed_ratio


def _empty_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.json").write_text(json.dumps({"documents": []}), encoding="utf-8")
    return corpus
