"""Retrieval benchmark (``kis bench retrieval``): dense, BM25 and hybrid against the naive recipe.

Every single-question gold item with evidence is searched five ways: the index's dense side, its
BM25 side, their fusion, the answer path (what users get: the passages ``answer()`` retrieves after
reading the question's scope, plan part, outline or budget records), and the naive recipe most RAG
tutorials start from — LangChain's ``RecursiveCharacterTextSplitter(1000, 200)`` over the raw
extracted text, the same embedder, top-k cosine. Recall@5 and MRR@10 use the harness's evidence
matching, so the figures are comparable with ``kis eval run``.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from langchain_text_splitters import RecursiveCharacterTextSplitter

from evals.gold import GoldSet
from evals.metrics import evidence_recall_at_k, mrr_at_k, relevance
from rag.embedders import Embedder
from rag.retrieval.retriever import Retriever
from rag.schema import Reply

Search = Callable[[str], list[str]]


@dataclass(frozen=True)
class RetrievalScore:
    method: str
    questions: int
    recall_at_5: float
    mrr_at_10: float


def naive_search(raw_text: str, embedder: Embedder, k: int = 10) -> Search:
    """The baseline: fixed-size character chunks of the raw text, cosine top-k."""
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_text(raw_text)
    matrix = np.asarray(embedder.embed_documents(chunks), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)

    def search(question: str) -> list[str]:
        query = np.asarray(embedder.embed_query(question), dtype=np.float32)
        scores = matrix @ (query / np.linalg.norm(query))
        return [chunks[i] for i in np.argsort(-scores)[:k]]

    return search


def index_search(retriever: Retriever, mode: str, k: int = 10) -> Search:
    def search(question: str) -> list[str]:
        return [hit.chunk.text for hit in retriever.search(question, k, mode=mode)]  # type: ignore[arg-type]

    return search


def answer_search(answer: Callable[[str], Reply]) -> Search:
    """The passages the answerer retrieved for the question, in its order (a clarifying or
    refusing reply keeps what it retrieved, so the figure covers every question)."""

    def search(question: str) -> list[str]:
        return [passage.text for passage in answer(question).retrieved]

    return search


def score(method: str, search: Search, gold: GoldSet) -> RetrievalScore:
    recalls: list[float] = []
    mrrs: list[float] = []
    for item in gold.items:
        if len(item.turns) != 1 or not item.turns[0].evidence:
            continue
        turn = item.turns[0]
        passages = search(turn.question)
        recalls.append(evidence_recall_at_k(passages, turn.evidence, 5))
        mrrs.append(mrr_at_k(relevance(passages, turn.evidence, 10), 10))
    return RetrievalScore(
        method,
        len(recalls),
        round(statistics.fmean(recalls), 3) if recalls else 0.0,
        round(statistics.fmean(mrrs), 3) if mrrs else 0.0,
    )


def bench_retrieval(
    retriever: Retriever, raw_text: str, gold: GoldSet, answer: Callable[[str], Reply]
) -> list[RetrievalScore]:
    """The index's three modes, the answer path and the naive recipe (with the index's embedder)."""
    methods: Sequence[tuple[str, Search]] = (
        ("dense", index_search(retriever, "dense")),
        ("bm25", index_search(retriever, "bm25")),
        ("hybrid", index_search(retriever, "hybrid")),
        ("answer path (scope, plan parts, budget records)", answer_search(answer)),
        ("naive (1000/200, cosine)", naive_search(raw_text, retriever.embedder)),
    )
    return [score(name, search, gold) for name, search in methods]


def save_scores(scores: list[RetrievalScore], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"retrieval-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps([asdict(s) for s in scores], indent=2), encoding="utf-8")
    return path
