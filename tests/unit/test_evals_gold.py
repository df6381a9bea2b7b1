"""Gold-file validation: every kind of bad line is reported with its line number, all at once."""

from __future__ import annotations

import json
from typing import Any

from evals.gold import parse_gold

CORPUS = """Sinds de start in 2015 zet Kennisplatform Inclusief Samenleven (KIS) zich in voor
een inclusief samenleven, waarin iedereen – ongeacht migratie- of vluchtach-
tergrond, religie of huidskleur – gelijkwaardige kansen krijgt.
Totaal Project    121.461
"""


def item(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": "g1",
        "question": "Sinds wanneer bestaat KIS?",
        "kind": "fact",
        "answer": "Sinds 2015.",
        "must_contain": ["2015"],
        "evidence": ["Sinds de start in 2015 zet Kennisplatform Inclusief Samenleven"],
        "section": "Inleiding",
        "options": [],
    }
    values.update(overrides)
    return values


def jsonl(*rows: dict[str, Any] | str) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n"


def messages(text: str) -> list[str]:
    return [str(i) for i in parse_gold(text, CORPUS).issues]


def test_a_valid_file_has_items_and_no_issues() -> None:
    gold = parse_gold(
        jsonl(item(), item(id="g2", evidence=["ongeacht migratie- of vluchtachtergrond"])), CORPUS
    )
    assert gold.valid
    assert [i.id for i in gold.items] == ["g1", "g2"]
    assert gold.items[0].language == "nl" and gold.items[0].turns[0].expect_status == "answered"


def test_malformed_json_names_its_line_and_the_rest_is_still_read() -> None:
    gold = parse_gold(jsonl(item(), "{not json", item(id="g3")), CORPUS)
    assert [str(i) for i in gold.issues] == [
        "regel 2: geen geldige JSON (Expecting property name enclosed in double quotes, kolom 2)"
    ]
    assert [i.id for i in gold.items] == ["g1", "g3"]


def test_unknown_kind() -> None:
    [message] = messages(jsonl(item(kind="trivia")))
    assert message.startswith("regel 1 (g1): onbekende kind 'trivia'; kies uit fact, budget, list, compare")


def test_duplicate_id_names_both_lines() -> None:
    assert messages(jsonl(item(), item())) == ["regel 2 (g1): id komt al voor op regel 1"]


def test_evidence_not_in_the_corpus() -> None:
    assert messages(jsonl(item(evidence=["Totaal Project 121.462"]))) == [
        "regel 1 (g1): evidence niet in het corpus gevonden: 'Totaal Project 121.462'"
    ]


def test_required_fields_per_kind() -> None:
    found = messages(
        jsonl(
            item(id="a", must_contain=[]),
            item(id="b", evidence=[]),
            item(id="c", kind="ambiguous", must_contain=[], evidence=[], options=["alleen één"]),
            item(id="d", kind="out_of_scope", options=[]),
            item(id="e", question=""),
            {
                "id": "f",
                "kind": "multi_turn",
                "turns": [{"question": "één beurt", "expect_status": "answered"}],
            },
        )
    )
    assert found == [
        "regel 1 (a): kind 'fact' vraagt minstens één 'must_contain'",
        "regel 2 (b): kind 'fact' vraagt minstens één 'evidence'-fragment",
        "regel 3 (c): kind 'ambiguous' vraagt minstens twee 'options'",
        "regel 4 (d): kind 'out_of_scope' hoort geen 'must_contain' of 'evidence' te hebben",
        "regel 5 (e): 'question' ontbreekt of is geen tekst",
        "regel 6 (f): kind 'multi_turn' vraagt 'turns': een lijst van minstens twee beurten",
    ]


def test_unknown_fields_and_bad_types_are_reported() -> None:
    assert messages(
        jsonl(item(must_contains=["2015"]), item(id="g2", must_contain="2015"), item(id="g3", language="de"))
    ) == [
        "regel 1 (g1): onbekende velden: must_contains",
        "regel 2 (g2): 'must_contain' moet een lijst van niet-lege teksten zijn",
        "regel 3 (g3): language moet 'nl' of 'en' zijn, niet 'de'",
    ]


def test_multi_turn_items_are_checked_turn_by_turn() -> None:
    good = {
        "id": "m1",
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
    }
    bad = {
        "id": "m2",
        "kind": "multi_turn",
        "turns": [
            {"question": "Hoeveel?", "expect_status": "maybe"},
            {"question": "project 3", "expect_status": "answered", "evidence": ["Totaal Project 999"]},
        ],
    }
    gold = parse_gold(jsonl(good, bad), CORPUS)
    assert [i.id for i in gold.items] == ["m1"]
    assert [t.expect_status for t in gold.items[0].turns] == ["clarify", "answered"]
    assert [str(i) for i in gold.issues] == [
        "regel 2 (m2): beurt 1: 'expect_status' moet een van answered, clarify, not_found zijn",
        "regel 2 (m2): beurt 2: een beantwoorde beurt vraagt minstens één 'must_contain'",
        "regel 2 (m2): beurt 2: evidence niet in het corpus gevonden: 'Totaal Project 999'",
    ]


def test_language_is_detected_when_absent() -> None:
    gold = parse_gold(jsonl(item(question="What is the budget of project 3?")), CORPUS)
    assert gold.items[0].language == "en"
