"""The counter-question about the user's situation comes with questions that ask for advice only."""

from __future__ import annotations

import pytest

from rag.answer.replies import advice_feedback


@pytest.mark.parametrize(
    "question",
    [
        "Hoe kan ik polarisatie in de klas bespreekbaar maken?",
        "Ik zoek advies over spanningen in de wijk.",
        "Wat is je advies bij discriminatie op de werkvloer?",
        "Tips voor een dialoogtafel?",
    ],
)
def test_a_question_asking_for_advice_gets_the_counter_question(question: str) -> None:
    assert advice_feedback(question, "nl") is not None


@pytest.mark.parametrize(
    "question",
    [
        "Wie zitten er in de Raad van advies?",
        "Wanneer komt de Raad van advies bijeen?",
        "Wat kost project 3?",
    ],
)
def test_a_question_about_something_named_after_advice_gets_none(question: str) -> None:
    assert advice_feedback(question, "nl") is None
