"""The benchmark arithmetic on hand-made inputs: warm-up before timing, percentiles, retrieval scores."""

from __future__ import annotations

import json

from evals.gold import parse_gold
from kis.bench.answer import bench_answer, percentile
from kis.bench.retrieval import answer_search, score
from rag.schema import Reply, Retrieved

GOLD = "\n".join(
    json.dumps(item)
    for item in (
        {
            "id": "a",
            "question": "Welke kennisbronnen?",
            "kind": "list",
            "answer": "Wetenschappelijke, professionele en ervaringskennis.",
            "must_contain": ["ervaringskennis"],
            "evidence": [
                "drie kennisbronnen: wetenschappelijke kennis, professionele kennis en ervaringskennis"
            ],
            "section": "",
            "options": [],
        },
        {
            "id": "b",
            "question": "Wat is het weer?",
            "kind": "out_of_scope",
            "answer": "niet in de bronnen",
            "must_contain": [],
            "evidence": [],
            "section": "",
            "options": [],
        },
    )
)
HOLDS = (
    "Wij werken op basis van drie kennisbronnen: wetenschappelijke kennis, "
    "professionele kennis en ervaringskennis."
)


def test_percentile_is_an_observed_value() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 99) == 7.0


def test_answer_bench_warms_up_then_times_every_round() -> None:
    asked: list[str] = []

    def answer(question: str, conversation: str | None) -> Reply:
        asked.append(question)
        return Reply("answered", "x")

    result = bench_answer(answer, ["een", "twee"], rounds=3)
    assert asked == ["een", "twee"] * 4  # one warm-up pass, three timed
    assert (result.questions, result.rounds) == (2, 3)
    assert 0 <= result.p50_ms <= result.p95_ms <= result.p99_ms <= result.max_ms


def test_retrieval_score_counts_only_items_with_evidence() -> None:
    gold = parse_gold(GOLD, None)
    found = score("goed", lambda q: ["ruis", HOLDS, "ruis"], gold)
    assert (found.questions, found.recall_at_5, found.mrr_at_10) == (1, 1.0, 0.5)
    missed = score("slecht", lambda q: ["ruis"] * 10, gold)
    assert (missed.recall_at_5, missed.mrr_at_10) == (0.0, 0.0)


def test_the_answer_path_is_scored_on_the_passages_the_answerer_retrieved() -> None:
    def answer(question: str) -> Reply:
        passages = ("ruis", HOLDS)
        return Reply(
            "clarify",
            "Welk project?",
            retrieved=tuple(Retrieved(i, f"c{i}", "d", "", t, 0.0) for i, t in enumerate(passages, 1)),
        )

    found = score("antwoordpad", answer_search(answer), parse_gold(GOLD, None))
    assert (found.recall_at_5, found.mrr_at_10) == (1.0, 0.5)
