"""An answer must hold the names, acronyms and years its question names (rag/answer/support.py)."""

from __future__ import annotations

from rag.answer.support import particulars, unsupported


def test_names_and_years_are_particulars_and_sentence_openers_are_not() -> None:
    assert particulars("Hoeveel dialoogtafels zijn er in Zwolle gehouden in 2024?", "nl") == [
        "Zwolle",
        "2024",
    ]
    assert particulars("Ik werk in Breda. Wat kan ik doen?", "nl") == ["Breda"]


def test_the_platform_and_the_country_name_nothing_particular() -> None:
    assert particulars("Welke aanpassingen krijgt de KIS-nieuwsbrief in Nederland?", "nl") == []


def test_a_compound_names_its_capitalised_part() -> None:
    assert particulars("In welke COA-locaties worden de interviews gehouden?", "nl") == ["COA"]


def test_english_words_capitalised_by_english_spelling_are_no_names() -> None:
    assert particulars("What does the plan say about Muslim and Dutch youth in Rotterdam?", "en") == [
        "Rotterdam"
    ]


def test_a_name_must_be_in_the_answer_and_an_acronym_or_year_in_its_passage() -> None:
    answer = ["Twaalf gemeenten organiseerden dialoogtafels.", "Samen in gesprek"]
    passage = ["Sinds 2023 werkt het ministerie van SZW mee. Twaalf gemeenten organiseerden dialoogtafels."]
    question = "Hoeveel dialoogtafels organiseerde Zwolle met SZW sinds 2023?"
    assert unsupported(question, "nl", answer, passage) == ["Zwolle"]
    assert unsupported("Hoeveel dialoogtafels met SZW in 2023?", "nl", answer, passage) == []
    assert unsupported("Welke dialoogtafels met SZW in 2019?", "nl", answer, passage) == ["2019"]


def test_an_english_term_is_held_by_its_dutch_word() -> None:
    question = "What does the guide say about LGBTIQ believers in Utrecht?"
    held = ["lhbtiq+ gelovigen in Utrecht"]
    assert unsupported(question, "en", held, held) == []
    assert unsupported(question, "en", ["gelovigen in Utrecht"], ["gelovigen in Utrecht"]) == ["LGBTIQ"]
