"""The harness's metric functions on hand-made cases whose values are worked out by hand."""

from __future__ import annotations

import math

import pytest

from evals.metrics import (
    citation_markers,
    citation_problems,
    citation_supported,
    evidence_recall_at_k,
    first_found_ranks,
    missing_required,
    mrr_at_k,
    ndcg_at_k,
    option_coverage,
    percentile,
    precision_recall,
    relevance,
)
from evals.textmatch import contains_required, held_by_union, holds, normalize, option_matches
from rag.schema import Citation

SNIPPET_A = (
    "Wij werken op basis van drie kennisbronnen: "
    "wetenschappelijke kennis, professionele kennis en ervaringskennis."
)
SNIPPET_B = (
    "Het KIS Congres is een tweejaarlijks evenement dat in de eerste helft van 2027 weer wordt uitgevoerd."
)
OTHER = "De Raad van advies bestaat uit gezaghebbende personen die met KIS meedenken over de kennisfunctie."


def cite(n: int, chunk_id: str, snippet: str) -> Citation:
    return Citation(n, chunk_id, "werkplan-2026", "Werkplan", "", "", snippet, 0, len(snippet))


# --- normalisation and matching -----------------------------------------------------------


def test_normalize_joins_hyphenated_line_breaks_and_keeps_real_hyphens() -> None:
    assert normalize("vluchtach-\ntergrond") == "vluchtachtergrond"
    assert normalize("Verwey-\nJonker  Instituut") == "verwey-jonker instituut"
    assert normalize("Medior onder-\n\nzoeker 94") == "medior onderzoeker 94"
    assert normalize("migratie- \nof vluchtachtergrond") == "migratie- of vluchtachtergrond"
    assert normalize("\t\ufffd Wij  dragen\nbij") == "wij dragen bij"
    assert normalize("pabo’s") == "pabo's"


@pytest.mark.parametrize(
    ("answer", "required", "expected"),
    [
        ("Het kost € 121.461.", "121.461", True),
        ("Het kost 121461 euro.", "121.461", True),
        ("It costs €121,461.", "121.461", True),
        ("Het kost € 121.461.", "€ 121.461", True),
        ("Totaal 1.326.564", "132", False),  # a number never matches inside a longer one
        ("overhead € 20 per uur", "20", True),
        ("in 2026", "20", False),
        ("Eenenzestig weken", "eenenzestig|61", True),
        ("61 weken", "eenenzestig|61", True),
        ("zestig weken", "eenenzestig|61", False),
        ("PROJECT  1 emancipatie", "project 1", True),
        ("project 11", "project 1", False),
    ],
)
def test_contains_required_is_number_aware(answer: str, required: str, expected: bool) -> None:
    assert contains_required(answer, required) is expected


def test_missing_required_lists_what_is_absent() -> None:
    assert missing_required("Movisie krijgt 1.218.197", ["1.218.197", "Verwey|VJI"]) == ["Verwey|VJI"]


def test_snippet_split_over_two_passages_is_held_by_their_union_only() -> None:
    words = SNIPPET_B.split()
    first, second = " ".join(words[:9]), " ".join(words[9:])
    assert not holds(first, SNIPPET_B) and not holds(second, SNIPPET_B)
    assert held_by_union([first, second], SNIPPET_B)


def test_snippet_with_a_small_extraction_difference_still_counts() -> None:
    assert holds(SNIPPET_A.replace("wetenschappelijke", "academische"), SNIPPET_A)  # 12 of 13 words
    assert not holds(
        SNIPPET_A.replace("professionele kennis en ervaringskennis", "praktijk"), SNIPPET_A
    )  # 9 of 13


def test_a_figure_must_match_exactly() -> None:
    assert holds("Senior onderzoeker 132 124 16.368", "Senior onderzoeker 132 124 16.368")
    assert not holds("Senior onderzoeker 132 124 16.369", "Senior onderzoeker 132 124 16.368")  # 4 of 5 words
    assert not holds(SNIPPET_B.replace("2027", "2028"), SNIPPET_B)
    assert holds(
        "Movisie Junior/medior 68 144 9.792", "Movisie Junior/ medior 68 144 9.792"
    )  # a PDF line break


def test_option_matching_needs_the_same_numbers_and_enough_shared_words() -> None:
    gold = "Project 7 Gelijke kansen op de arbeidsmarkt: instroom"
    assert option_matches(gold, "Project 7: instroom")
    assert not option_matches(gold, "Project 8: behoud en doorstroom")
    assert option_matches("Movisie: senior", "Senior bij Movisie (€ 95)")
    assert not option_matches("Verwey-Jonker Instituut: senior onderzoeker", "Movisie: senior")


# --- retrieval ------------------------------------------------------------------------------


def test_recall_at_k_counts_snippets_found_in_the_top_k() -> None:
    passages = [OTHER, SNIPPET_A, OTHER, SNIPPET_B]
    evidence = [SNIPPET_A, SNIPPET_B]
    assert evidence_recall_at_k(passages, evidence, 1) == 0.0
    assert evidence_recall_at_k(passages, evidence, 2) == 0.5
    assert evidence_recall_at_k(passages, evidence, 5) == 1.0
    assert first_found_ranks(passages, evidence) == [2, 4]


def test_mrr_is_the_reciprocal_rank_of_the_first_relevant_passage() -> None:
    assert mrr_at_k([False, False, True, True]) == pytest.approx(1 / 3)
    assert mrr_at_k([True]) == 1.0
    assert mrr_at_k([False] * 10 + [True]) == 0.0  # beyond k


def test_ndcg_against_hand_computed_values() -> None:
    assert ndcg_at_k([True, False, False]) == 1.0
    # relevant at rank 2 only: (1/log2 3) / 1
    assert ndcg_at_k([False, True]) == pytest.approx(1 / math.log2(3))
    # relevant at 1 and 3, ideal at 1 and 2
    assert ndcg_at_k([True, False, True]) == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))
    # one snippet missed: the ideal list needs one passage more
    assert ndcg_at_k([True], missing=1) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert ndcg_at_k([False, False]) == 0.0


def test_relevance_credits_both_halves_of_a_split_snippet() -> None:
    words = SNIPPET_B.split()
    first, second = " ".join(words[:9]), " ".join(words[9:])
    assert relevance([OTHER, first, second], [SNIPPET_B]) == [False, True, True]
    assert relevance([OTHER, first], [SNIPPET_B]) == [False, False]


# --- citations --------------------------------------------------------------------------------


def test_citation_validity_finds_dangling_markers_and_misplaced_snippets() -> None:
    passages = {"c1": f"{OTHER} {SNIPPET_A}", "c2": OTHER}
    good = [cite(1, "c1", "drie kennisbronnen")]
    assert citation_markers("Zie [1] en [2, 3].") == [1, 2, 3]
    assert citation_problems("Drie bronnen [1].", good, passages) == []
    assert citation_problems("Drie bronnen [1][2].", good, passages) == ["[2] verwijst naar geen bron"]
    misplaced = [cite(1, "c2", "drie kennisbronnen")]
    assert citation_problems("Drie bronnen [1].", misplaced, passages) == [
        "fragment van bron [1] staat niet in de passage"
    ]
    unknown = [cite(1, "c9", "drie kennisbronnen")]
    assert "onbekend" in citation_problems("[1]", unknown, passages)[0]
    assert citation_problems("[1]", unknown, passages, corpus=SNIPPET_A) == []


def test_citation_support_by_passage_or_by_snippet() -> None:
    passages = {"c1": f"{OTHER} {SNIPPET_A}", "c2": OTHER}
    assert citation_supported([cite(1, "c1", "kennisbronnen")], passages, [SNIPPET_A])
    assert citation_supported(
        [cite(1, "cX", "drie kennisbronnen: wetenschappelijke kennis")], {}, [SNIPPET_A]
    )
    assert not citation_supported([cite(1, "c2", "Raad van advies")], passages, [SNIPPET_A])


# --- decisions, options, latency --------------------------------------------------------------


def test_precision_and_recall_of_clarify_decisions() -> None:
    # (expected clarify, replied clarify): 2 true positives, 1 false positive, 1 false negative
    pairs = [(True, True), (True, True), (False, True), (True, False), (False, False)]
    assert precision_recall(pairs) == pytest.approx((2 / 3, 2 / 3))
    assert precision_recall([(False, False)]) == (None, None)
    assert precision_recall([(True, False)]) == (None, 0.0)


def test_refusal_precision_and_recall() -> None:
    # (expected not_found, replied not_found)
    pairs = [(True, True), (False, False), (False, False), (True, False)]
    assert precision_recall(pairs) == (1.0, 0.5)


def test_option_coverage_is_the_fraction_of_gold_options_offered() -> None:
    gold = ["Project 7 instroom", "Project 8 behoud en doorstroom", "Project 9 asielzoekers"]
    assert option_coverage(
        gold, ["Project 7: instroom", "Project 9: asielzoekers en statushouders"]
    ) == pytest.approx(2 / 3)
    assert option_coverage(gold, []) == 0.0


def test_percentile_interpolates() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([], 50) is None
