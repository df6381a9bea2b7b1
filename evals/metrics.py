"""Pure metric functions on plain values, so each can be checked on hand-made cases.

Retrieval relevance (used by MRR and nDCG): a passage in the top k is relevant when it holds an
evidence snippet on its own, or when it holds part (≥ 30 %) of a snippet that the top k hold
together — the second rule credits both halves of a snippet cut by a chunk boundary. nDCG's ideal
list has every relevant retrieved passage plus one passage per snippet the top k miss, so missing
evidence lowers the score even when the retrieved relevant passages are ranked first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from evals.textmatch import (
    contains_required,
    covered_positions,
    enough,
    held_by_union,
    holds,
    normalize,
    option_matches,
    snippet_coverage,
    words,
)
from rag.schema import Citation

PART_FRACTION = 0.3
_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def first_found_ranks(passages: Sequence[str], snippets: Sequence[str]) -> list[int | None]:
    """For each snippet, the 1-based rank at which the passages up to it first hold it, or None."""
    found: list[int | None] = []
    for snippet in snippets:
        snippet_words = words(snippet)
        covered: set[int] = set()
        rank: int | None = None
        for i, passage in enumerate(passages, start=1):
            covered |= covered_positions(passage, snippet)
            if enough(covered, snippet_words):
                rank = i
                break
        found.append(rank)
    return found


def evidence_recall_at_k(passages: Sequence[str], snippets: Sequence[str], k: int) -> float:
    """Fraction of evidence snippets held by the top-k passages together."""
    if not snippets:
        raise ValueError("evidence_recall_at_k vraagt minstens één fragment")
    return sum(rank is not None for rank in first_found_ranks(passages[:k], snippets)) / len(snippets)


def relevance(passages: Sequence[str], snippets: Sequence[str], k: int = 10) -> list[bool]:
    """Binary relevance of the top-k passages (rule in the module docstring)."""
    top = passages[:k]
    complete = [s for s in snippets if held_by_union(top, s)]
    return [
        any(holds(p, s) for s in snippets) or any(snippet_coverage(p, s) >= PART_FRACTION for s in complete)
        for p in top
    ]


def mrr_at_k(relevant: Sequence[bool], k: int = 10) -> float:
    """Reciprocal rank of the first relevant passage within the top k; 0.0 when there is none."""
    return next((1.0 / i for i, r in enumerate(relevant[:k], start=1) if r), 0.0)


def ndcg_at_k(relevant: Sequence[bool], k: int = 10, missing: int = 0) -> float:
    """Binary nDCG@k; ``missing`` is the number of evidence snippets the top k do not hold."""
    dcg = sum(1.0 / math.log2(i + 1) for i, r in enumerate(relevant[:k], start=1) if r)
    ideal = min(k, sum(relevant[:k]) + missing)
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, ideal + 1))
    return dcg / idcg if idcg else 0.0


def missing_required(answer: str, required: Sequence[str]) -> list[str]:
    """The ``must_contain`` entries the answer lacks (number- and ``a|b``-aware, see textmatch)."""
    return [r for r in required if not contains_required(answer, r)]


def citation_markers(answer: str) -> list[int]:
    """Every [n] marker in an answer, in order; ``[1, 2]`` counts as two markers."""
    return [int(n) for group in _MARKER.findall(answer) for n in re.split(r"\s*[,;]\s*", group)]


def citation_problems(
    answer: str, citations: Sequence[Citation], passages: Mapping[str, str], corpus: str | None = None
) -> list[str]:
    """Why the citations are not valid; empty when every marker resolves and every snippet is where
    its citation says. A cited passage not among the retrieved ones is checked against the corpus."""
    problems: list[str] = []
    numbers = {c.n for c in citations}
    for n in sorted(set(citation_markers(answer)) - numbers):
        problems.append(f"[{n}] verwijst naar geen bron")
    for c in citations:
        passage = passages.get(c.chunk_id, corpus)
        if not c.snippet.strip():
            problems.append(f"bron [{c.n}] heeft geen fragment")
        elif passage is None:
            problems.append(f"passage van bron [{c.n}] onbekend; fragment niet te controleren")
        elif normalize(c.snippet) not in normalize(passage):
            problems.append(f"fragment van bron [{c.n}] staat niet in de passage")
    return problems


def citation_supported(
    citations: Sequence[Citation], passages: Mapping[str, str], evidence: Sequence[str]
) -> bool:
    """True when a citation backs the answer: its passage or its snippet holds an evidence snippet,
    or its snippet lies inside one."""
    for c in citations:
        texts = [c.snippet, passages.get(c.chunk_id, "")]
        if any(holds(t, e) for t in texts for e in evidence) or any(holds(e, c.snippet) for e in evidence):
            return True
    return False


def precision_recall(pairs: Sequence[tuple[bool, bool]]) -> tuple[float | None, float | None]:
    """(precision, recall) of (expected, predicted) pairs; None where the denominator is zero."""
    tp = sum(e and p for e, p in pairs)
    predicted = sum(p for _, p in pairs)
    expected = sum(e for e, _ in pairs)
    return (tp / predicted if predicted else None, tp / expected if expected else None)


def option_coverage(gold_options: Sequence[str], offered: Sequence[str]) -> float:
    """Fraction of gold options that some offered option stands for (``textmatch.option_matches``)."""
    if not gold_options:
        raise ValueError("option_coverage vraagt minstens één gouden optie")
    return sum(any(option_matches(g, o) for o in offered) for g in gold_options) / len(gold_options)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) by linear interpolation between closest ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float | None]) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
