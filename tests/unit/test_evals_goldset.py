"""The project's gold set: valid against the real work plan, and covering what it promises to cover."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evals.cli import DEFAULT_GOLD
from evals.gold import GoldSet, load_gold
from evals.textmatch import contains_required

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "werkplan-2026.txt"


@pytest.fixture(scope="module")
def gold() -> GoldSet:
    return load_gold(DEFAULT_GOLD, CORPUS.read_text(encoding="utf-8"))


def test_every_item_is_valid_and_every_evidence_snippet_is_in_the_work_plan(gold: GoldSet) -> None:
    assert [str(i) for i in gold.issues] == []
    assert len(gold.items) >= 150


def test_composition(gold: GoldSet) -> None:
    kinds = Counter(i.kind for i in gold.items)
    assert kinds["ambiguous"] >= 15 and kinds["out_of_scope"] >= 15 and kinds["multi_turn"] >= 10
    assert all(kinds[k] > 0 for k in ("fact", "budget", "list", "compare"))
    assert sum(i.language == "en" for i in gold.items) >= 20


def test_every_project_and_onderdeel_is_asked_about(gold: GoldSet) -> None:
    sections = " ".join(i.section for i in gold.items)
    projects = {int(n) for n in re.findall(r"Project (\d+)", sections)}
    assert set(range(1, 15)) <= projects
    assert all(f"Onderdeel {o}" in sections for o in "ABCDE")


def test_each_reference_answer_contains_its_required_strings(gold: GoldSet) -> None:
    for item in gold.items:
        for turn in item.turns:
            answer = turn.answer or item.answer
            missing = [m for m in turn.must_contain if not contains_required(answer, m)]
            assert not missing, f"{item.id}: {missing}"
