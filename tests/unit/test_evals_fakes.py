"""A small gold file, its corpus and a deterministic stand-in answerer, shared by the harness's tests.

The fake stands in for the real answerer only where the harness is under test: it answers by
keyword, so each gold item below has a known outcome (right, wrong, clarify, refuse, crash).
"""

from __future__ import annotations

import json
from typing import Any

from rag.schema import Citation, Clarification, Option, Reply, Retrieved

CORPUS = """Sinds de start in 2015 zet Kennisplatform Inclusief Samenleven (KIS) zich in voor
een inclusief samenleven. Wij werken op basis van drie kennisbronnen: wetenschappelijke kennis,
professionele kennis en ervaringskennis.
Project 3. Polarisatie begrijpen, voorkomen en aanpakken
Totaal Project    121.461
De leden van de Raad van advies zijn hieronder weergegeven: Naïma Azough (voorzitter)
"""

PASSAGES = {
    "p-kis": "Sinds de start in 2015 zet Kennisplatform Inclusief Samenleven (KIS) zich in voor iedereen.",
    "p-p3": "Project 3. Polarisatie begrijpen, voorkomen en aanpakken Totaal Project 121.461",
    "p-raad": "De leden van de Raad van advies zijn hieronder weergegeven: Naïma Azough (voorzitter)",
}

GOLD_ITEMS: list[dict[str, Any]] = [
    {
        "id": "t-fact",
        "kind": "fact",
        "question": "Sinds wanneer bestaat KIS?",
        "answer": "Sinds 2015.",
        "must_contain": ["2015"],
        "evidence": ["Sinds de start in 2015 zet Kennisplatform Inclusief Samenleven (KIS) zich in"],
    },
    {
        "id": "t-budget",
        "kind": "budget",
        "question": "Wat kost project 3?",
        "answer": "€ 121.461.",
        "must_contain": ["121.461"],
        "evidence": ["Totaal Project 121.461"],
    },
    {
        "id": "t-amb",
        "kind": "ambiguous",
        "question": "Hoeveel kost het project?",
        "answer": "Welk project bedoelt u?",
        "options": ["Project 3 Polarisatie", "Project 4 Extremisme"],
    },
    {
        "id": "t-oos",
        "kind": "out_of_scope",
        "question": "Wat is de begroting voor 2030?",
        "answer": "niet in de bronnen",
    },
    {
        "id": "t-multi",
        "kind": "multi_turn",
        "turns": [
            {
                "question": "Hoeveel kost het project?",
                "expect_status": "clarify",
                "options": ["Project 3", "Project 4"],
            },
            {
                "question": "project 3",
                "expect_status": "answered",
                "must_contain": ["121.461"],
                "evidence": ["Totaal Project 121.461"],
            },
        ],
    },
    {
        "id": "t-wrong",
        "kind": "fact",
        "question": "Who chairs the advisory board?",
        "answer": "Naïma Azough.",
        "must_contain": ["Azough"],
        "evidence": ["Naïma Azough (voorzitter)"],
        "language": "en",
    },
    {
        "id": "t-crash",
        "kind": "list",
        "question": "Welke kennisbronnen? boom",
        "answer": "Drie.",
        "must_contain": ["ervaringskennis"],
        "evidence": ["drie kennisbronnen: wetenschappelijke kennis, professionele kennis en ervaringskennis"],
    },
]


def gold_jsonl(items: list[dict[str, Any]] | None = None) -> str:
    return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items or GOLD_ITEMS)


def retrieved(*chunk_ids: str) -> tuple[Retrieved, ...]:
    return tuple(
        Retrieved(rank=n, chunk_id=c, doc_id="werkplan-2026", section="", text=PASSAGES[c], score=1.0 / n)
        for n, c in enumerate(chunk_ids, start=1)
    )


def citation(n: int, chunk_id: str, snippet: str) -> Citation:
    return Citation(n, chunk_id, "werkplan-2026", "Werkplan 2026", "", "", snippet, 0, len(snippet))


def fake_answer(question: str, conversation_id: str | None) -> Reply:
    """Right on the fact, budget, clarify and refusal items; wrong (refuses) on the advisory board;
    raises on 'boom'."""
    q = question.lower()
    conversation = conversation_id or f"conv-{abs(hash(question)) % 1000}"
    if "boom" in q:
        raise RuntimeError("kapot")
    if "sinds" in q:
        return Reply(
            "answered",
            "KIS bestaat sinds 2015 [1].",
            citations=(citation(1, "p-kis", "Sinds de start in 2015"),),
            retrieved=retrieved("p-raad", "p-kis"),
            conversation_id=conversation,
        )
    if "project 3" in q:
        return Reply(
            "answered",
            "Project 3 kost € 121.461 [1].",
            citations=(citation(1, "p-p3", "Totaal Project 121.461"),),
            retrieved=retrieved("p-p3", "p-kis"),
            conversation_id=conversation,
        )
    if "het project" in q:
        options = (
            Option("Project 3: polarisatie", "project 3"),
            Option("Project 4: extremisme", "project 4"),
        )
        return Reply(
            "clarify",
            "Welk project bedoelt u?",
            clarification=Clarification("Welk project?", options),
            conversation_id=conversation,
        )
    return Reply(
        "not_found",
        "Dat staat niet in de bronnen.",
        language="en" if "who" in q else "nl",
        conversation_id=conversation,
    )


def worse_answer(question: str, conversation_id: str | None) -> Reply:
    """Like ``fake_answer`` but with the wrong amount for project 3: a regression to detect."""
    reply = fake_answer(question, conversation_id)
    if "project 3" in question.lower():
        return Reply(
            "answered",
            "Project 3 kost € 112.461.",
            retrieved=retrieved("p-kis"),
            conversation_id=reply.conversation_id,
        )
    return reply


def test_the_small_gold_file_is_valid_against_its_corpus() -> None:
    from evals.gold import parse_gold

    gold = parse_gold(gold_jsonl(), CORPUS)
    assert gold.valid and len(gold.items) == len(GOLD_ITEMS)
