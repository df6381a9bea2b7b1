"""The crawl benchmark end to end on a small synthetic site: its figures must agree with each other."""

from __future__ import annotations

import json
from pathlib import Path

from kis.bench.crawl import bench_crawl
from kis.bench.site import page_content, render_page
from rag.embedders import Embedder
from tests.conftest import SettingsFactory


def test_generated_pages_are_stable_and_a_new_version_rewrites_them() -> None:
    assert render_page(7, 0, 100, "http://h") == render_page(7, 0, 100, "http://h")
    title, old = page_content(7, 0, 100)
    same_title, new = page_content(7, 1, 100)
    assert title == same_title and old != new
    assert old.count("<h2>") == new.count("<h2>")  # same outline, new text
    assert page_content(8, 0, 100)[1] != old


def test_bench_crawl_figures_are_consistent(
    make_settings: SettingsFactory, embedder: Embedder, tmp_path: Path
) -> None:
    result, path = bench_crawl(
        make_settings(), tmp_path / "bench", pages=24, changed_fraction=0.1, embedder=embedder
    )
    assert result.pages_per_s > 0 and result.chunks > result.pages
    assert result.changed_pages == result.recrawl_changed == 2
    assert result.reembedded_chunks == result.changed_page_chunks > 0  # only the changed pages' chunks
    assert result.killed_after_pages == 12
    assert result.refetches == 0
    assert result.killed_after_pages + result.resumed_pages == result.pages
    assert 0 < result.peak_rss_mb < result.rss_target_mb
    assert json.loads(path.read_text(encoding="utf-8"))["refetches"] == 0
