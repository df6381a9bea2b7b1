"""The crawl benchmark's instruments: the stopwatch puts back what it wraps, the counting embedder
counts what passes through it, the hashing embedder is deterministic."""

from __future__ import annotations

import io

import numpy as np
from pypdf import PdfReader

from kis.bench.embedding import CountingEmbedder, HashEmbedder
from kis.bench.pdf import Line, write_pdf
from kis.bench.stopwatch import Stopwatch
from rag.embedders import Embedder
from rag.store.bm25 import BM25Index
from rag.store.vectorstore import ChromaStore


def test_stopwatch_times_functions_and_methods_and_puts_them_back() -> None:
    watch = Stopwatch()
    build, add = BM25Index.__dict__["build"], ChromaStore.__dict__["add"]
    with watch.watching([(BM25Index, "build", "bm25"), (ChromaStore, "add", "chroma")]):
        assert BM25Index.__dict__["build"] is not build
        index = BM25Index.build(["a", "b"], ["polarisatie in de wijk", "gelijke kansen"])
    assert index.ids == ["a", "b"]  # still a classmethod while wrapped
    assert BM25Index.__dict__["build"] is build and ChromaStore.__dict__["add"] is add
    taken = watch.take()
    assert set(taken) == {"bm25"} and taken["bm25"] > 0
    assert watch.take() == {}


def test_counting_embedder_counts_every_text_and_keeps_a_bounded_sample(embedder: Embedder) -> None:
    counting = CountingEmbedder(embedder, sample_size=3)
    texts = [f"passage {i} over discriminatie" for i in range(10)]
    assert counting.name == embedder.name
    assert counting.embed_documents(texts[:4]) == embedder.embed_documents(texts[:4])
    counting.embed_documents(texts[4:])
    tally = counting.take()
    assert (tally.texts, tally.chars) == (10, sum(map(len, texts)))
    assert len(tally.sample) == 3 and set(tally.sample) <= set(texts)
    assert counting.take().texts == 0


def test_hash_embedder_is_deterministic_and_unit_length() -> None:
    one, two = HashEmbedder().embed_documents(["gelijke kansen in het onderwijs", "racisme"])
    assert one == HashEmbedder().embed_documents(["gelijke kansen in het onderwijs"])[0]
    assert len(one) == 384 and abs(float(np.linalg.norm(one)) - 1.0) < 1e-9
    assert one != two


def test_written_pdf_reads_back_strictly_with_its_text_and_title() -> None:
    pages = [[Line("Titel (deel 1)", 20.0)], [Line("Tekst \\ met enquête", 11.0)]]
    reader = PdfReader(io.BytesIO(write_pdf(pages, "Rapport (1)", "D:20240105")), strict=True)
    assert [page.extract_text() for page in reader.pages] == ["Titel (deel 1)", "Tekst \\ met enquête"]
    assert reader.metadata is not None and reader.metadata.title == "Rapport (1)"
