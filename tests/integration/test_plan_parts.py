"""Questions for one part of a project plan are answered from that part."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kis.settings import Settings
from kis.wiring import build_assistant
from rag.answer.answer_types import answers
from rag.answer.assistant import Assistant
from rag.answer.compose import overview
from rag.budget.store import BudgetStore
from rag.structure.sections import ProjectParts, aspect_of, heading_aspect
from rag.structure.steps import ProjectSteps
from tests.factories import make_chunk


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("Wat levert project 4 in 2026 op?", "resultaten"),
        ("Welke resultaten heeft project 2?", "resultaten"),
        ("What are the deliverables of project 10?", "resultaten"),
        ("Wie is de doelgroep van project 8?", "doelgroep"),
        ("What are the primary target groups of project 2?", "doelgroep"),
        ("Met wie werkt project 4 samen?", "samenwerking"),
        ("Which parties are in the working group of project 14?", "samenwerking"),
        ("Wat is het doel van project 5?", "doel"),
        ("Hoe ziet het plan van aanpak van project 3 eruit?", "plan"),
        ("Wat is de planning van project 6?", "planning"),
        ("Wat is het vraagstuk van project 9?", "vraagstuk"),
        ("Wat is het budget van project 3?", None),  # the budget records answer that
        ("Wat zijn het doel en de doelgroep van project 1?", None),  # two parts: no one part
        ("Tell me about the Sinti and Roma project", "overzicht"),
        ("Waar gaat project 9 over?", "overzicht"),
        ("Vertel eens over de doelen van project 3", "doel"),  # a part named: that part
    ],
)
def test_the_part_a_question_asks_for(question: str, aspect: str | None) -> None:
    assert aspect_of(question) == aspect


def test_heading_words_name_the_part() -> None:
    assert heading_aspect("2. Doel(en) project 2026") == "doel"
    assert heading_aspect("5. Plan van aanpak in hoofdlijnen") == "plan"
    assert heading_aspect("Planning") == "planning"
    assert heading_aspect("6. Resultaten") == "resultaten"


def test_parts_come_from_the_appendix_plans_in_document_order() -> None:
    later = make_chunk("- Tweede product.", start=2000, end=2016)
    first = make_chunk("6. Resultaten\n\n- Eerste product.", start=1000, end=1031)
    summary = make_chunk("De resultaten in het kort.", section=("Onderdeel A", "Project 3. Polarisatie"))
    parts = ProjectParts.from_chunks([later, summary, first])
    assert [c.text for c in parts.get(3, "resultaten")] == [first.text, later.text]
    assert parts.get(3, "doelgroep") == ()
    assert parts.get(3, "overzicht") == (summary,)  # the project's entry in its onderdeel


def test_an_overview_quotes_a_list_whole_and_prose_by_its_opening() -> None:
    listed = make_chunk(
        "6. Resultaten\n\nWe leveren op:\n\n- Een publicatie.\n- Drie infographics.\n- Een webinar."
    )
    answer = overview([listed], "nl").answer.splitlines()
    assert answer == [
        "We leveren op: [1]",
        "- Een publicatie. [1]",
        "- Drie infographics. [1]",
        "- Een webinar. [1]",
    ]
    prose = make_chunk(
        "Eerste zin van de aanpak. Tweede zin van de aanpak. Derde zin hier. Vierde zin niet meer."
    )
    assert "Vierde" not in overview([prose], "nl").answer


def test_a_plans_steps_are_its_own_step_headings_in_order_of_one_kind() -> None:
    plan = ("Bijlage", "Project 7. Gelijke kansen", "5. Plan van aanpak in hoofdlijnen")
    chunks = [
        make_chunk(
            "Fase 2 / Onderdeel B: Interviews\nWe spreken werkgevers.", section=plan, project=7, start=500
        ),
        make_chunk(
            "Fase 1 / Onderdeel A: Enquête\nWe zetten een enquête uit.\n"
            "Onderdeel A kwantitatief deel\nOnderdeel C: In 2027 gaan we verder met de analyse.",
            section=plan,
            project=7,
            start=100,
        ),
        make_chunk("Stap 1: Alleen genoemd in de planning", section=(*plan[:2], "Planning"), project=7),
    ]
    steps = ProjectSteps.from_chunks(chunks).steps
    assert [e.label for e in steps[7]] == [
        "Fase 1 / Onderdeel A: Enquête",
        "Fase 2 / Onderdeel B: Interviews",
    ]
    assert ProjectSteps.from_chunks(chunks[:1]).steps == {}  # one heading is no list of steps


@pytest.fixture(scope="module")
def assistant(corpus_index: Settings) -> Iterator[Assistant]:
    yield build_assistant(corpus_index)


def _part_text(assistant: Assistant, project: int, aspect: str) -> str:
    return "\n".join(c.text for c in assistant.parts.get(project, aspect))


def test_a_question_for_a_part_is_answered_with_that_part_whole(assistant: Assistant) -> None:
    reply = assistant.answer("Wat levert project 4 op?")
    assert reply.status == "answered"
    assert {c.section.rsplit(" › ", 1)[-1] for c in reply.citations} == {"6. Resultaten"}
    items = [line for line in reply.answer.splitlines() if line.startswith("- ")]
    part = _part_text(assistant, 4, "resultaten")
    assert len(items) == part.count("\n- ") >= 2  # every item of the part, none from elsewhere


def test_a_question_about_a_project_as_a_whole_is_answered_by_its_summary(assistant: Assistant) -> None:
    reply = assistant.answer("Tell me about the Sinti and Roma project")
    assert reply.status == "answered"
    assert reply.citations[0].section.startswith("Onderdeel A")
    assert reply.citations[0].snippet in _part_text(assistant, 12, "overzicht")


def test_an_english_question_for_a_part_quotes_it_in_dutch(assistant: Assistant) -> None:
    reply = assistant.answer("Who are the partners of project 2?")
    assert reply.status == "answered" and reply.language == "en"
    assert all(
        c.section.endswith("4. Samenwerking") and c.section.count("Project 2.") for c in reply.citations
    )
    assert reply.citations[0].snippet in _part_text(assistant, 2, "samenwerking")


def test_a_question_within_a_part_gets_the_sentence_that_answers_it(assistant: Assistant) -> None:
    part = _part_text(assistant, 4, "samenwerking")
    reply = assistant.answer("Met welke unit werkt het extremisme en radicalisering project nauw samen?")
    assert reply.status == "answered"
    first = reply.answer.splitlines()[0]
    assert "nauw" in first and first.split(" [")[0] in part


def test_a_count_asked_of_a_part_is_answered_by_a_sentence_with_a_count(assistant: Assistant) -> None:
    question = "Hoeveel keer komt de werkgroep van project 14 bijeen?"  # "werkgroep": the Samenwerking part
    reply = assistant.answer(question)
    assert reply.status == "answered"
    assert answers(question, reply.answer.split(" [")[0])  # not the part's opening sentences


def test_a_part_of_a_year_the_plan_does_not_cover_is_refused(assistant: Assistant) -> None:
    assert assistant.answer("Wat levert project 6 in 2031 op?").status == "not_found"


def test_budget_tables_are_not_quoted_as_prose(assistant: Assistant) -> None:
    reply = assistant.answer("Wie is de directeur van Movisie?")
    assert "Begroting" in reply.retrieved[0].section  # the rows that name Movisie come first
    assert reply.status == "not_found"  # and rows of numbers answer no question in words


def test_one_part_of_two_projects_is_given_side_by_side(assistant: Assistant) -> None:
    reply = assistant.answer("Vergelijk de doelgroepen van project 2 en 4")
    assert reply.status == "answered"
    labels = [line for line in reply.answer.splitlines() if line.startswith("Project ")]
    assert [label.split(".")[0] for label in labels] == ["Project 2", "Project 4"]
    assert [c.section.split(" › ")[1].split(".")[0] for c in reply.citations] == ["Project 2", "Project 4"]
    assert all(c.section.endswith("3. Doelgroep") for c in reply.citations)


@pytest.mark.parametrize(
    "question",
    [
        "welke kennisbronnen gebruikt kis",  # its list goes on into the next passage
        "Wat levert project 4 op?",
        "Welke thema's heeft KIS?",
        "Hoe wil KIS het persbeleid aanscherpen?",
    ],
)
def test_every_cited_passage_is_among_the_retrieved_ones(assistant: Assistant, question: str) -> None:
    reply = assistant.answer(question)
    retrieved = {r.chunk_id: r.text for r in reply.retrieved}
    assert reply.citations and all(c.snippet in retrieved[c.chunk_id] for c in reply.citations)


def test_the_steps_of_a_project_are_listed_from_its_plan(assistant: Assistant) -> None:
    reply = assistant.answer("Uit welke onderdelen bestaat project 11?")
    labels = [e.label for e in assistant.steps.steps[11]]
    assert reply.status == "answered" and len(labels) >= 2
    assert [line.split(" [")[0].removeprefix("- ") for line in reply.answer.splitlines()] == labels
    assert all(c.section.endswith("5. Plan van aanpak in hoofdlijnen") for c in reply.citations)


def test_a_question_that_would_be_asked_back_is_about_the_project_in_focus(assistant: Assistant) -> None:
    first = assistant.answer("What is project 4 about?")
    target = assistant.answer("who is the target group?", first.conversation_id)
    assert target.status == "answered", target.answer
    assert {c.chunk_id for c in target.citations} <= {
        c.id for c in assistant.index.chunks.values() if c.project == 4
    }
    named = assistant.answer("Wat is de doelgroep van het jongerenproject?", first.conversation_id)
    assert named.status == "clarify"  # it names projects of its own: 1 and 2, not the one in focus
    fresh = assistant.answer("who is the target group?")
    assert fresh.status == "clarify"  # no conversation, no focus: which project?


def test_two_projects_named_by_title_in_a_comparison_are_answered_side_by_side(assistant: Assistant) -> None:
    """Neither is asked back ("welk project bedoelt u?"): each is answered from its own passages."""
    reply = assistant.answer(
        "Wat is het verschil tussen het arbeidsmarktproject over instroom en dat over doorstroom?"
    )
    assert reply.status == "answered"
    labels = [line for line in reply.answer.splitlines() if line.endswith(":")]
    assert labels == [f"{assistant.catalogue.label(7)}:", f"{assistant.catalogue.label(8)}:"]
    cited = {assistant.index.chunks[c.chunk_id].project for c in reply.citations}
    assert cited == {7, 8}


def test_a_budget_comparison_of_a_titled_and_a_numbered_project_gives_both_amounts(
    assistant: Assistant,
) -> None:
    stated = BudgetStore(assistant.index.paths.budget).project_totals()
    totals = {int(scope.scope): amount for scope, amount in stated}
    reply = assistant.answer("Krijgt het Kennisdossier Sinti en Roma meer dan project 4?")
    assert reply.status == "answered"
    for number in (12, 4):
        assert f"{totals[number]:,}".replace(",", ".") in reply.answer, number


def test_every_text_route_composes_through_the_configured_composer(corpus_index: Settings) -> None:
    """With an LLM configured, text, a plan part, parts compared and projects side by side are all
    written by its composer (here one that records what it is given); structure routes are not."""
    from kis.wiring import build_embedder, open_index
    from rag.answer.assistant import build_assistant as assemble
    from rag.answer.compose import Composed, Scorer, compose
    from rag.conversation.store import ConversationStore
    from rag.retrieval.retriever import Hit

    asked: list[str] = []

    def recording(question: str, hits: list[Hit], scorer: Scorer, language: str) -> Composed:
        asked.append(question)
        return compose(question, hits, scorer, "en" if language == "en" else "nl")

    store = ConversationStore(corpus_index.resolved_database_url)
    llm = assemble(open_index(corpus_index), build_embedder(corpus_index), store, composer=recording)
    questions = [
        "Hoe wil KIS de nieuwsbrief personaliseren?",  # text
        "Wat is de doelgroep van project 2?",  # a part of a plan
        "Wat is het verschil in doelgroep tussen project 7 en project 8?",  # parts compared
        "Werken het veerkrachtproject en het zelfbeschikkingsproject met dezelfde partners?",  # side by side
    ]
    for question in questions:
        assert llm.answer(question).status == "answered", question
    assert asked == questions
