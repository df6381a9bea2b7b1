"""The content-addressed embedding cache with the fake embedder: hits, misses and the model key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rag.embedders import Embedder
from rag.store.embed_cache import EmbeddingCache
from tests.unit.conftest import FakeEmbedder


def digests(texts: list[str]) -> list[str]:
    return [hashlib.sha256(t.encode()).hexdigest() for t in texts]


@pytest.fixture
def cache(tmp_path: Path) -> EmbeddingCache:
    return EmbeddingCache(tmp_path / "cache.sqlite3")


def test_unchanged_text_is_served_from_the_cache_and_only_new_text_is_embedded(
    cache: EmbeddingCache, embedder: Embedder
) -> None:
    texts = ["polarisatie in de wijk", "gelijke kansen op de arbeidsmarkt"]
    first, embedded = cache.embed(embedder, texts, digests(texts))
    assert embedded == 2
    more = [*texts, "discriminatie melden"]
    second, embedded = cache.embed(embedder, more, digests(more))
    assert embedded == 1
    expected = [*first, *embedder.embed_documents(["discriminatie melden"])]
    for got, want in zip(second, expected, strict=True):
        assert got == pytest.approx(want, abs=1e-6)


def test_another_embedder_is_a_miss(cache: EmbeddingCache, embedder: Embedder) -> None:
    texts = ["wij-zij-denken"]
    cache.embed(embedder, texts, digests(texts))

    class Other(FakeEmbedder):
        name = "other-model"

    _, embedded = cache.embed(Other(), texts, digests(texts))
    assert embedded == 1
