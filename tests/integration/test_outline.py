"""Questions about the work plan's own structure are answered by its headings."""

from __future__ import annotations

import re

import pytest

from kis.settings import Settings
from kis.wiring import build_assistant
from rag.answer.assistant import Assistant
from rag.structure.outline import Outline
from tests.factories import make_chunk

THEMES = [
    make_chunk(
        f"Thema {n}. {title}\n\nDit thema richt zich op {topic}. Meer tekst.",
        section=("Onderdeel A: Kennis", f"Thema {n}. {title}"),
        project=None,
        start=1000 * n,
        title="Werkplan 2026",
    )
    for n, title, topic in [(2, "Respectvol samenleven", "respect"), (1, "Krachtige individuen", "autonomie")]
]


def test_the_outline_lists_headings_in_their_order_with_the_sentence_that_opens_them() -> None:
    summary = make_chunk(  # a project's passage inside the theme comes first in the text
        "Project 2 Jongeren\n\nHet project gaat over jongeren.",
        section=("Onderdeel A: Kennis", "Thema 1. Krachtige individuen", "Project 2. Jongeren"),
        start=500,
    )
    outline = Outline.from_chunks([*THEMES, summary])
    themes = outline.levels["thema"]
    assert [e.label for e in themes] == ["Thema 1. Krachtige individuen", "Thema 2. Respectvol samenleven"]
    assert themes[0].span.text == "Thema 1. Krachtige individuen\n\nDit thema richt zich op autonomie."
    assert [e.label for e in outline.levels["project"]] == ["Project 2. Jongeren"]


def test_the_passage_that_itself_lists_a_levels_headings_is_its_overview() -> None:
    third = make_chunk(
        "Thema 3. Gelijke kansen\n\nDit thema richt zich op kansen.",
        section=("Onderdeel A: Kennis", "Thema 3. Gelijke kansen"),
        project=None,
        start=3000,
        title="Werkplan 2026",
    )
    guide = make_chunk(
        "De thema's zijn Thema 1. Krachtige individuen, Thema 2. Respectvol samenleven en "
        "Thema 3. Gelijke kansen voor iedereen.",
        section=("Inleiding", "Leeswijzer"),
        project=None,
        start=10,
        title="Werkplan 2026",
    )
    assert Outline.from_chunks([*THEMES, third, guide]).overviews["thema"].chunk == guide
    assert "thema" not in Outline.from_chunks([*THEMES, third]).overviews  # none lists them


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("Wat zijn de drie thema's van KIS?", "thema"),
        ("What are the themes of the work plan?", "thema"),
        ("Welke projecten voert KIS in 2026 uit?", "project"),
        ("Welke thema's gaan over jongeren?", None),  # a selection, not the outline
        ("Hoe verhouden de thema's zich tot elkaar?", None),  # not a listing question
        ("Welke thema's en projecten zijn er?", None),  # two levels
    ],
)
def test_which_questions_ask_for_a_level_whole(question: str, level: str | None) -> None:
    assert (
        Outline.from_chunks(
            [*THEMES, make_chunk("Het project gaat over iets.", section=("A", "Project 1. Iets"))]
        ).asked(question)
        == level
    )


def test_another_years_plan_is_not_this_one() -> None:
    outline = Outline.from_chunks(THEMES)
    assert outline.other_year("Welke thema's heeft het werkplan 2027?")
    assert not outline.other_year("Welke thema's heeft het werkplan 2026?")
    assert not outline.other_year("Welke thema's zijn er?")


@pytest.fixture(scope="module")
def assistant(corpus_index: Settings) -> Assistant:
    return build_assistant(corpus_index)


def test_the_themes_of_the_real_work_plan_are_its_theme_headings(assistant: Assistant) -> None:
    headings = sorted(
        {p for c in assistant.index.chunks.values() for p in c.section if re.match(r"Thema \d\. ", p)}
    )
    reply = assistant.answer("Welke thema's kent het werkplan?")
    assert reply.status == "answered"
    lines = reply.answer.splitlines()
    assert [line.split(":")[0].removeprefix("- ") for line in lines] == headings
    assert len(reply.citations) == len(headings)
    assert all(c.snippet.startswith(c.section.rsplit(" › ", 1)[-1]) for c in reply.citations)


def test_the_outline_of_another_years_plan_is_refused(assistant: Assistant) -> None:
    assert assistant.answer("Welke projecten staan in het werkplan 2031?").status == "not_found"


def test_which_project_is_about_a_topic_is_answered_with_the_projects_titled_so(assistant: Assistant) -> None:
    reply = assistant.answer("Welke projecten gaan over discriminatie?")
    assert reply.status == "answered"
    named = assistant.catalogue.named_projects("Welke projecten gaan over discriminatie?", listing=True)
    assert len(named) >= 2
    listed = [int(n) for n in re.findall(r"^- Project (\d+)\.", reply.answer, re.M)]
    assert listed == named and len(reply.citations) == len(named)
    assert all("discriminatie" in assistant.catalogue.projects[n].lower() for n in listed)


def test_a_follow_up_on_several_listed_projects_asks_which_then_answers(assistant: Assistant) -> None:
    listed = assistant.answer("Welke projecten gaan over discriminatie?")
    named = assistant.catalogue.named_projects("Welke projecten gaan over discriminatie?", listing=True)
    asked = assistant.answer("wat is daar het budget van?", listed.conversation_id)
    assert asked.status == "clarify" and asked.clarification is not None
    assert [o.value for o in asked.clarification.options] == [f"project={n}" for n in named[:4]]
    chosen = assistant.answer(f"project {named[0]}", listed.conversation_id)
    assert chosen.status == "answered" and chosen.answer.startswith(f"Project {named[0]}.")


def test_an_outline_answer_retrieves_the_plans_own_overview_first(assistant: Assistant) -> None:
    reply = assistant.answer("Uit welke onderdelen bestaat het werkplan?")
    assert reply.status == "answered" and reply.retrieved[0].section.endswith("Leeswijzer")
    assert all(f"Onderdeel {letter}" in reply.citations[0].snippet for letter in "ABCDE")
    assert reply.answer.startswith(reply.citations[0].snippet)  # the plan's own list leads


def test_how_many_is_counted_from_the_headings_and_says_so(assistant: Assistant) -> None:
    reply = assistant.answer("Hoeveel projecten heeft KIS?")
    first, *rest = reply.answer.splitlines()
    n = len(assistant.outline.levels["project"])
    assert reply.status == "answered" and f" {n} projecten (geteld" in first
    assert len([line for line in rest if line.startswith("- Project ")]) == n
    question = "Hoeveel projecten gaan over jongeren?"
    topical = assistant.answer(question)
    named = assistant.catalogue.named_projects(question, listing=True)
    assert topical.answer.startswith(f"Ik tel {len(named)} projecten") and len(named) >= 2
