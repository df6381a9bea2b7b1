"""Turning replies into scores: one turn at a time, then aggregated per run, kind and language.

Aggregates are taken over turns, so each turn of a multi-turn conversation counts as one decision
(answer, clarify or refuse). A turn whose answerer failed scores 0 on every metric that applies to
it — an error is a failure, not a gap — but has no latency and no citation validity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from evals.gold import GoldItem, GoldTurn
from evals.hygiene import defects
from evals.metrics import (
    citation_problems,
    citation_supported,
    evidence_recall_at_k,
    mean,
    missing_required,
    mrr_at_k,
    ndcg_at_k,
    option_coverage,
    percentile,
    precision_recall,
    relevance,
)
from evals.results import ItemResult, MetricTable, Outcome, Scores, TurnResult
from rag.schema import Reply

# (question, answer, reference answer) → a score in [0, 1]; only when an LLM is configured.
Judge = Callable[[str, str, str], float]

RETRIEVAL = ("recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10", "ndcg_at_10")
TURN_METRICS = (
    "status_ok",
    *RETRIEVAL,
    "answer_correct",
    "citation_support",
    "citation_validity",
    "option_coverage",
    "language_ok",
    "hygiene_ok",
    "judge_score",
)
RUN_METRICS = (
    "n_items",
    "n_errors",
    "error_rate",
    "pass_rate",
    *TURN_METRICS,
    "clarify_precision",
    "clarify_recall",
    "refusal_precision",
    "refusal_recall",
    "latency_p50_s",
    "latency_p95_s",
)


def score_turn(
    turn: GoldTurn,
    reply: Reply,
    *,
    language: str,
    latency_s: float,
    corpus: str | None = None,
    judge: Judge | None = None,
) -> TurnResult:
    """Every applicable metric of one reply against its gold turn."""
    passages = [r.text for r in sorted(reply.retrieved, key=lambda r: r.rank)]
    by_chunk = {r.chunk_id: r.text for r in reply.retrieved}
    answered = reply.status == "answered"
    expect_answer = turn.expect_status == "answered"
    missing = missing_required(reply.answer, turn.must_contain) if answered else list(turn.must_contain)
    problems = citation_problems(reply.answer, reply.citations, by_chunk, corpus) if answered else []
    offered = tuple(o.label for o in reply.clarification.options) if reply.clarification else ()
    scores: Scores = {name: None for name in TURN_METRICS}
    scores["status_ok"] = float(reply.status == turn.expect_status)
    scores["language_ok"] = float(reply.language == language)
    if turn.evidence:
        scores.update(_retrieval(passages, turn.evidence))
    if expect_answer and turn.must_contain:
        scores["answer_correct"] = float(answered and not missing)
    if expect_answer and turn.evidence:
        scores["citation_support"] = float(
            answered and citation_supported(reply.citations, by_chunk, turn.evidence)
        )
    if answered:
        scores["citation_validity"] = float(not problems)
        flaws = defects(reply)
        scores["hygiene_ok"] = float(not flaws)
        problems = [*problems, *(f"hygiëne — {flaw}" for flaw in flaws)]
    if turn.expect_status == "clarify" and turn.options:
        scores["option_coverage"] = (
            option_coverage(turn.options, offered) if reply.status == "clarify" else 0.0
        )
    if judge is not None and expect_answer and answered:
        scores["judge_score"] = judge(
            turn.question, reply.answer, turn.answer or "; ".join(turn.must_contain)
        )
    return TurnResult(
        turn.question,
        turn.expect_status,
        reply.status,
        reply.answer,
        latency_s,
        scores,
        tuple(missing),
        tuple(problems),
        offered,
        dict(reply.timings),
        expected=turn.must_contain,
        citations=tuple(f"[{c.n}] {c.section}: {c.snippet}" for c in reply.citations),
    )


def _retrieval(passages: list[str], evidence: tuple[str, ...]) -> Scores:
    recall = {k: evidence_recall_at_k(passages, evidence, k) for k in (1, 5, 10)}
    relevant = relevance(passages, evidence, 10)
    missing = round(len(evidence) * (1 - recall[10]))
    return {
        "recall_at_1": recall[1],
        "recall_at_5": recall[5],
        "recall_at_10": recall[10],
        "mrr_at_10": mrr_at_k(relevant, 10),
        "ndcg_at_10": ndcg_at_k(relevant, 10, missing=missing),
    }


def error_turn(turn: GoldTurn, message: str) -> TurnResult:
    """A turn the answerer failed on: 0 on every metric that applies, the message kept."""
    scores: Scores = {name: None for name in TURN_METRICS}
    scores["status_ok"] = 0.0
    if turn.evidence:
        scores.update(dict.fromkeys(RETRIEVAL, 0.0))
    if turn.expect_status == "answered":
        scores["answer_correct"] = 0.0 if turn.must_contain else None
        scores["citation_support"] = 0.0 if turn.evidence else None
    if turn.expect_status == "clarify" and turn.options:
        scores["option_coverage"] = 0.0
    return TurnResult(
        turn.question,
        turn.expect_status,
        None,
        scores=scores,
        missing=turn.must_contain,
        error=message,
        expected=turn.must_contain,
    )


def item_result(item: GoldItem, turns: Sequence[TurnResult]) -> ItemResult:
    """An item's outcome from its turns (a failed turn ends a conversation, so turns may be fewer)."""
    error = next((t.error for t in turns if t.error), None)
    passed = error is None and all(t.scores["status_ok"] == 1.0 and not t.missing for t in turns)
    scores = {name: mean([t.scores.get(name) for t in turns]) for name in TURN_METRICS}
    outcome: Outcome = "error" if error else "ok"
    return ItemResult(
        item.id,
        item.kind,
        item.language,
        item.question,
        outcome,
        passed,
        scores,
        tuple(turns),
        error,
        item.line,
    )


def aggregate(items: Sequence[ItemResult]) -> MetricTable:
    """Run metrics overall, per kind and per language."""
    kinds = sorted({i.kind for i in items})
    languages = sorted({i.language for i in items})
    return MetricTable(
        overall=group_metrics(items),
        by_kind={k: group_metrics([i for i in items if i.kind == k]) for k in kinds},
        by_language={lang: group_metrics([i for i in items if i.language == lang]) for lang in languages},
    )


def group_metrics(items: Sequence[ItemResult]) -> Scores:
    """The RUN_METRICS of a group of items (None where nothing applies)."""
    turns = [t for i in items for t in i.turns]
    n_errors = sum(i.outcome == "error" for i in items)
    latencies = [t.latency_s for t in turns if t.latency_s is not None and t.error is None]
    clarify_p, clarify_r = precision_recall(
        [(t.expect_status == "clarify", t.status == "clarify") for t in turns]
    )
    refusal_p, refusal_r = precision_recall(
        [(t.expect_status == "not_found", t.status == "not_found") for t in turns]
    )
    scores: Scores = {
        "n_items": float(len(items)),
        "n_errors": float(n_errors),
        "error_rate": n_errors / len(items) if items else None,
        "pass_rate": mean([float(i.passed) for i in items]),
    }
    scores.update({name: mean([t.scores.get(name) for t in turns]) for name in TURN_METRICS})
    scores.update(
        clarify_precision=clarify_p,
        clarify_recall=clarify_r,
        refusal_precision=refusal_p,
        refusal_recall=refusal_r,
        latency_p50_s=percentile(latencies, 50),
        latency_p95_s=percentile(latencies, 95),
    )
    return scores
