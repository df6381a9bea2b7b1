"""Unit tests of the answer stages on hand-made passages: checks, rewriting, composing, LLM guard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from rag.answer.assistant import Draft, drafting, following
from rag.answer.compose import Scorer, compose, english_frame, spans
from rag.answer.llm import LLMComposer, check_answer
from rag.answer.question import check_question, detect_language
from rag.answer.replies import reply_to_state
from rag.conversation.rewrite import resolve_choice, rewrite
from rag.conversation.state import ConversationState, Scope
from rag.errors import InputError
from rag.language.vocabulary import ENGLISH_TERMS, to_dutch_terms
from rag.schema import Option, Reply
from rag.structure.catalogue import Catalogue
from rag.structure.sections import SUMMARY, aspect_of
from tests.conftest import CORPUS
from tests.factories import make_chunk, make_hit

state_of = ConversationState.from_dict

RESULTS = (
    "Het project levert het volgende op:\n"
    "- Een eerste aanzet voor een WatWerkt-dossier over polarisatie.\n"
    "- Drie infographics over werkzame mechanismen.\n"
    "- Zes tot acht workshops op maat."
)
BUDGET = "Totaal Movisie 70.754\nExterne projectkosten / inhuur 10.000\nTotaal Project 121.461"


PROJECTS = [
    (3, "Polarisatie begrijpen, voorkomen en aanpakken"),
    (6, "Aanpak discriminatie"),
    (7, "Gelijke kansen op de arbeidsmarkt: instroom"),
    (8, "Gelijke kansen op de arbeidsmarkt: behoud en doorstroom"),
    (14, "Aanpak moslimdiscriminatie"),
]


def catalogue(projects: list[tuple[int, str]] = PROJECTS) -> Catalogue:
    chunks = [
        make_chunk("x", section=("Bijlage", f"Project {n}. {title}", "1. Vraagstuk"), project=n)
        for n, title in projects
    ]
    return Catalogue.from_chunks(chunks)


def test_question_checks() -> None:
    assert check_question("  Wat kost project 3?  ") == "Wat kost project 3?"
    with pytest.raises(InputError, match="leeg"):
        check_question("   ")
    with pytest.raises(InputError, match="te lang"):
        check_question("a" * 2001)
    for not_text in ("Wat kost \ud800 project 3?", "Wat kost\x00 project 3?", "Wat\x1b[31m kost het?"):
        with pytest.raises(InputError, match="geen tekst"):
            check_question(not_text)
    assert check_question("Wat kost\tproject 3?\nEn project 4?") == "Wat kost\tproject 3?\nEn project 4?"
    assert detect_language("What is the hourly rate of an expert?") == "en"
    assert detect_language("Wat is het uurtarief van een expert?") == "nl"


def test_catalogue_names_projects_by_number_and_by_words() -> None:
    cat = catalogue()
    assert cat.numbered_projects("Vergelijk project 3 en 14") == [3, 14]
    assert cat.numbered_projects("projecten 6, 7 en 8") == [6, 7, 8]
    assert cat.numbered_projects("de arbeidsmarktprojecten 7 en 8") == [7, 8]
    assert cat.named_projects("Hoeveel kost het arbeidsmarktproject?") == [7, 8]
    assert cat.named_projects("aanpak moslimdiscriminatie") == [14]
    assert cat.named_projects("Wat is het weer?") == []


def test_a_title_remark_names_nothing_and_a_project_compound_prefers_the_title_it_opens() -> None:
    cat = catalogue(
        [
            (3, "Polarisatie: strategieën en impact"),
            (11, "Databases aanpakken discriminatie, polarisatie en radicalisering"),
            (13, "Actieonderzoek pabo’s (financiering via SZW vanuit OCW)"),
        ]
    )
    assert cat.named_projects("Wat betaalt SZW?") == []
    assert cat.named_projects("Wat levert het polarisatieproject op?") == [3]
    assert cat.named_projects("Wat doet het project over polarisatie?") == [3, 11]


def test_a_project_named_by_its_whole_title_needs_no_number() -> None:
    cat = catalogue([*PROJECTS, (12, "Kennisdossier Sinti en Roma")])
    assert cat.fully_named("Welke resultaten levert het Kennisdossier Sinti en Roma op?") == 12
    assert (
        cat.fully_named("Met wie werkt KIS samen voor het dossier Sinti en Roma?") == 12
    )  # a compound's part
    assert cat.fully_named("Wat weet KIS over Roma?") is None  # part of a title names no project
    assert cat.fully_named("Wat doet KIS tegen discriminatie?") is None  # a one-word title is a topic


def test_a_short_title_of_common_words_named_whole_names_its_project() -> None:
    cat = catalogue()
    question = "Met wie werkt het project Aanpak discriminatie samen?"
    assert cat.fully_named(question) == 6  # not 14, "Aanpak moslimdiscriminatie"
    assert aspect_of(cat.without_titles(question)) == "samenwerking"  # the title's "Aanpak" asks for no plan
    assert cat.fully_named("Wat kost Aanpak moslimdiscriminatie?") == 14
    assert cat.fully_named("Wat doet het project Gelijke kansen op de arbeidsmarkt?") is None  # two share it


def test_english_questions_name_projects_by_cognates_terms_and_compounds() -> None:
    cat = catalogue()
    assert cat.named_projects("What is the target group of the labour market project?") == [7, 8]
    assert cat.named_projects("What does the polarisation project deliver?") == [3]
    assert cat.named_projects("Who is in the working group of the anti-Muslim discrimination project?") == [
        14
    ]
    assert cat.named_projects("What does the discrimination project do?") == [6]
    assert cat.named_projects("What is the weather like today?") == []
    assert cat.named_projects("Wat is financiële steun?") == []  # cognates are for English only
    assert to_dutch_terms("the Labour market project") == "the Labour market arbeidsmarkt project"


def test_clarification_answers_resolve_to_an_option() -> None:
    cat = catalogue()
    options = [Option(cat.label(n), Scope(project=n).to_value()) for n in (7, 8)]
    assert resolve_choice("project 8", options, cat) == "project=8"
    assert resolve_choice("de tweede", options, cat) == "project=8"
    assert resolve_choice("instroom", options, cat) == "project=7"
    assert resolve_choice("Wat is het weer?", options, cat) is None


def test_a_named_project_wins_over_a_generic_option() -> None:
    """ "project 3" after "programme, onderdeel or a project?" is project 3, not "Een project"."""
    cat = catalogue()
    options = [
        Option("Het hele programma KIS 2026", Scope(programme=True).to_value()),
        Option("Portaalfunctie", "onderdeel=B"),
        Option("Een project", "ander"),
    ]
    assert resolve_choice("project 3", options, cat) == "project=3"
    assert resolve_choice("het hele programma", options, cat) == "programme=True"
    assert Scope.from_value("programme=True") == Scope(programme=True)


def test_rewrite_resolves_pending_and_follow_ups() -> None:
    cat = catalogue()
    pending = {"question": "Wat kost het?", "scope": {}, "options": [{"label": "P3", "value": "project=3"}]}
    turn = rewrite("de eerste", None, state_of({"pending": pending}), cat)
    assert turn.resolved_clarification and turn.question == "Wat kost het?" and turn.scope.project == 3
    follow = rewrite("en wat is daar het budget van?", None, state_of({"scope": {"project": 9}}), cat)
    assert follow.scope.project == 9 and not follow.resolved_clarification
    fresh = rewrite("Wat doet project 6?", None, state_of({"scope": {"project": 9}}), cat)
    assert fresh.scope.project == 6


def test_a_complete_new_question_discards_a_pending_clarification() -> None:
    """Asked "which project?", a user who asks something else gets that answered, not the old
    question for a project the new one happens to name."""
    cat = catalogue()
    options = [{"label": cat.label(n), "value": f"project={n}"} for n in (7, 8)]
    state = state_of({"pending": {"question": "Wat is de doelgroep?", "scope": {}, "options": options}})
    fresh = rewrite("Hoeveel kost project 7 in totaal?", None, state, cat)
    assert fresh.question == "Hoeveel kost project 7 in totaal?" and not fresh.resolved_clarification
    assert fresh.scope.project == 7
    chosen = rewrite("project 7", None, state, cat)
    assert chosen.question == "Wat is de doelgroep?" and chosen.resolved_clarification


def test_the_conversation_state_keeps_its_stored_form() -> None:
    """Conversations stored before the state was typed read the same; a round trip loses nothing."""
    stored = {
        "scope": {"project": 9},
        "language": "en",
        "question": "What does it cost?",
        "recent_projects": [6, 9],
        "answered_projects": [3, 11],
        "pending": {
            "question": "Wat kost het?",
            "scope": {},
            "options": [{"label": "P3", "value": "project=3"}],
        },
    }
    state = state_of(stored)
    assert state.focus == Scope(project=9) and state.language == "en" and state.recent_projects == (6, 9)
    assert state.pending is not None and state.pending.options == (Option("P3", "project=3"),)
    assert state.to_dict() == stored
    assert state_of({}) == ConversationState()


def test_an_elliptical_follow_up_swaps_the_subject_of_the_last_question() -> None:
    cat = catalogue()
    turn = rewrite(
        "En project 6?", None, state_of({"question": "Hoeveel kost project 3?", "scope": {"project": 3}}), cat
    )
    assert turn.question == "Hoeveel kost project 6" and turn.scope.project == 6
    year = rewrite("En voor 2026?", None, state_of({"question": "Hoeveel budget heeft KIS in 2028?"}), cat)
    assert year.question == "Hoeveel budget heeft KIS in voor 2026" and "2028" not in year.question
    more = rewrite("En wat is de doelgroep?", None, state_of({"question": "Hoeveel kost project 3?"}), cat)
    assert more.question == "En wat is de doelgroep?"


def test_a_bare_project_continues_the_last_question_for_it() -> None:
    cat = catalogue()
    state = state_of({"question": "Wat zijn de resultaten van het polarisatieproject?", "scope": {}})
    turn = rewrite("project 8", None, state, cat)
    assert turn.question == "Wat zijn de resultaten van het polarisatieproject project 8"
    assert turn.scope.project == 8
    assert rewrite("project 8", None, state_of({}), cat).question == "project 8"  # nothing to continue


def test_the_two_refers_to_the_last_two_projects_of_the_conversation() -> None:
    cat = catalogue()
    reply = Reply("answered", "x")
    asked = rewrite("Wat kost project 6?", None, ConversationState(), cat)
    first = reply_to_state(reply, Scope(project=6), asked, "nl")
    second = reply_to_state(reply, Scope(project=8), rewrite("En project 8?", None, first, cat), "nl", [6])
    assert second.recent_projects == (6, 8)
    turn = rewrite("Welke van de twee is duurder?", None, second, cat)
    assert turn.question == "Welke van de twee is duurder (project 6 en project 8)?"
    assert rewrite("Welke van de twee is duurder?", None, first, cat).question.endswith(
        "duurder?"
    )  # one only


def test_a_reference_back_to_an_answer_about_several_projects_asks_which() -> None:
    cat = catalogue()
    asked = rewrite("Welk project gaat over polarisatie?", None, state_of({}), cat)
    state = reply_to_state(Reply("answered", "x"), Scope(), asked, "nl", (), [3, 11, 3])
    assert state.answered_projects == (3, 11)
    assert rewrite("wat is daar het budget van?", None, state, cat).refers_to == (3, 11)
    assert rewrite("Wat kost project 3?", None, state, cat).refers_to == ()  # it says which
    one = reply_to_state(Reply("answered", "x"), Scope(project=3), asked, "nl", (), [3])
    assert one.answered_projects == ()


def test_english_references_back_keep_the_conversation_scope() -> None:
    cat = catalogue()
    state = state_of({"scope": {"project": 12}, "question": "What is its budget?"})
    assert rewrite("How much of that goes to Movisie?", None, state, cat).scope.project == 12
    assert rewrite("How many hours do they work?", None, state, cat).scope.project == 12
    assert rewrite("What is polarisation?", None, state, cat).scope.project is None


def test_spans_keep_exact_offsets() -> None:
    chunk = make_chunk(RESULTS)
    for span in spans(chunk):
        assert chunk.text[span.start : span.end] == span.text
    assert [s.is_item for s in spans(chunk)] == [False, True, True, True]


def test_compose_answers_lists_as_lists_with_citations() -> None:
    chunk = make_chunk(RESULTS)
    other = make_chunk("De Raad van advies komt twee keer per jaar bijeen.", project=None, section=("C",))
    scorer = Scorer.from_chunks([chunk, other])
    composed = compose(
        "Welke resultaten levert het project op?", [make_hit(chunk), make_hit(other, 2)], scorer, "nl"
    )
    assert composed.answer.count("\n- ") == 3 or composed.answer.count("- ") == 3
    assert "[1]" in composed.answer and "[2]" not in composed.answer
    citation = composed.citations[0]
    assert citation.snippet in chunk.text
    assert citation.start == chunk.start + chunk.text.index(citation.snippet)


def test_footnote_marks_in_quotes_cannot_pass_for_citations() -> None:
    chunk = make_chunk("De nieuwsbrief verschijnt vanaf 2026 tweewekelijks.[2] Dat is vaker dan nu.")
    composed = compose(
        "Hoe vaak verschijnt de nieuwsbrief?", [make_hit(chunk)], Scorer.from_chunks([chunk]), "nl"
    )
    assert "tweewekelijks.(noot 2)" in composed.answer
    assert re.findall(r"\[(\d+)\]", composed.answer) == ["1"]
    assert "[2]" in composed.citations[0].snippet  # the snippet stays an exact slice of the source


def test_compose_frames_english_and_keeps_dutch_quotes() -> None:
    chunk = make_chunk("De nieuwsbrief verschijnt vanaf 2026 tweewekelijks.", project=None)
    composed = compose(
        "How often does the newsletter appear?", [make_hit(chunk)], Scorer.from_chunks([chunk]), "en"
    )
    assert composed.answer.startswith("The KIS work plan 2026 says (quoted in Dutch)")
    assert "tweewekelijks" in composed.answer
    assert composed.quoted == "De nieuwsbrief verschijnt vanaf 2026 tweewekelijks. [1]"  # the lead left out


def test_english_frame_names_the_cited_guide_not_the_work_plan() -> None:
    guide = make_chunk(
        "Polarisatie is een proces waarin groepen tegenover elkaar komen te staan.",
        doc_id="kennisgids-polarisatie",
        title="Kennisgids Polarisatie",
        kind="kennisgids",
        project=None,
    )
    composed = compose("What is polarisation?", [make_hit(guide)], Scorer.from_chunks([guide]), "en")
    assert composed.answer.startswith("The KIS knowledge guide ‘Kennisgids Polarisatie’ says")
    assert "work plan" not in composed.answer
    plan = make_chunk("Polarisatie staat centraal in project 3.", project=3)
    both = english_frame([guide, plan, guide])
    assert both == (
        "The KIS knowledge guide ‘Kennisgids Polarisatie’ and the KIS work plan 2026 say (quoted in Dutch):"
    )


def test_llm_guard_rejects_unresolved_marks_and_invented_numbers() -> None:
    hits = [make_hit(make_chunk(BUDGET))]
    assert check_answer("Het project kost € 121.461 [1].", hits) is not None
    assert check_answer("Het project kost € 121.461 [2].", hits) is None  # [2] resolves to nothing
    assert check_answer("Het project kost € 125.000 [1].", hits) is None  # number not in the passage
    assert check_answer("Het project kost veel.", hits) is None  # no citation at all


def test_llm_composer_falls_back_to_extractive_answer() -> None:
    chunk = make_chunk(BUDGET)
    scorer = Scorer.from_chunks([chunk])
    good = LLMComposer(FakeListChatModel(responses=["Project 3 kost € 121.461 [1]."]))
    result = good("Wat kost project 3?", [make_hit(chunk)], scorer, "nl")
    assert (
        result.answer == "Project 3 kost € 121.461 [1]."
        and result.citations[0].snippet == "Totaal Project 121.461"
    )
    liar = LLMComposer(FakeListChatModel(responses=["Project 3 kost € 999.999 [1]."]))
    fallback = liar("Wat kost project 3?", [make_hit(chunk)], scorer, "nl")
    assert "999.999" not in fallback.answer and "121.461" in fallback.answer


def test_an_llm_answer_is_shown_as_it_is_kept_and_replaced_when_turned_down() -> None:
    """The model streams a character at a time (marks cut in two); what the draft shows is the
    kept answer, its marks numbered in order of first use; a turned-down answer is replaced."""
    budget, partners = make_chunk(BUDGET), make_chunk("Movisie werkt samen met Pharos.")
    hits = [make_hit(partners), make_hit(budget)]
    scorer = Scorer.from_chunks([budget, partners])
    events: list[tuple[str, dict[str, str]]] = []
    draft = Draft(lambda event, data: events.append((event, data)))
    good = LLMComposer(FakeListChatModel(responses=["  Project 3 kost € 121.461 [2], met Pharos [1].\n"]))
    with drafting(draft):
        kept = good("Wat kost project 3?", hits, scorer, "nl")
    assert kept.answer == "Project 3 kost € 121.461 [1], met Pharos [2]."
    assert draft.text == kept.answer and len(events) > 10 and {e for e, _ in events} == {"delta"}
    assert [c.chunk_id for c in kept.citations] == [budget.id, partners.id]
    events.clear()
    draft = Draft(lambda event, data: events.append((event, data)))
    liar = LLMComposer(FakeListChatModel(responses=["Project 3 kost € 999.999 [2]."]))
    with drafting(draft):
        fallback = liar("Wat kost project 3?", hits, scorer, "nl")
    assert events[-1] == ("replace", {"text": fallback.answer, "reason": "unsupported"})
    assert "".join(d["text"] for e, d in events[:-1]) == "Project 3 kost € 999.999 [1]."


def test_a_final_answer_goes_on_from_its_draft_or_replaces_it() -> None:
    events: list[tuple[str, dict[str, str]]] = []
    draft = Draft(lambda event, data: events.append((event, data)))
    draft.settle("Eerste zin. [1] Tweede zin [2]\n- een punt [1]")
    assert [d["text"] for _, d in events] == ["Eerste zin. [1] ", "Tweede zin [2]\n", "- een punt [1]"]
    events.clear()
    draft.settle("Iets anders [1]")  # a later check turned the shown answer down
    assert events == [("replace", {"text": "Iets anders [1]", "reason": "revised"})]


SITE_PAGES = Path(__file__).parents[1] / "fixtures" / "kis_site" / "pages"


def test_every_english_term_leads_to_words_the_sources_use() -> None:
    plan = (CORPUS / "werkplan-2026.txt").read_text(encoding="utf-8")
    pages = " ".join(p.read_text(encoding="utf-8") for p in SITE_PAGES.rglob("*.html"))
    text = " ".join(re.sub(r"-\s*\n\s*", "", f"{plan} {pages}".lower()).split())  # hyphenations joined
    assert ENGLISH_TERMS and all(dutch in text for dutch in ENGLISH_TERMS.values())


def test_a_list_that_runs_past_its_passage_goes_on_in_the_next_one() -> None:
    first_text = (
        "We hebben goed oog voor:\n\n- Maatschappelijke ontwikkelingen.\n- De stand van de wetenschap."
    )
    first = make_chunk(first_text, start=0, end=len(first_text))
    overlap = "- De stand van de wetenschap."  # the next passage starts with the last sentence again
    second_text = (
        f"{overlap}\n- De bestuurlijke realiteit.\n- De praktijk van professionals.\n\nDaarna iets anders."
    )
    start = first.end - len(overlap)
    second = make_chunk(second_text, start=start, end=start + len(second_text))
    scorer = Scorer.from_chunks([first, second])
    question = "Waar heeft KIS oog voor?"
    alone = compose(question, [make_hit(first)], scorer, "nl").answer
    assert "bestuurlijke" not in alone
    answer = compose(question, [make_hit(first)], scorer, "nl", following=following([second, first])).answer
    items = [line for line in answer.splitlines() if line.startswith("- ")]
    assert [i.split(" [")[0] for i in items] == [
        "- Maatschappelijke ontwikkelingen.",
        "- De stand van de wetenschap.",
        "- De bestuurlijke realiteit.",
        "- De praktijk van professionals.",
    ]
    assert items[-1].endswith("[2]")


def test_a_list_whose_last_item_explains_itself_to_the_passage_end_goes_on_too() -> None:
    first_text = "Er zijn twee soorten:\n\n- Een verkenning. Die is klein. Die is snel."
    first = make_chunk(first_text, start=0, end=len(first_text))
    overlap = "Die is snel."
    second_text = f"{overlap}\n\n- Een artikel. Dat is kort.\n\nDaarna iets anders."
    start = first.end - len(overlap)
    second = make_chunk(second_text, start=start, end=start + len(second_text))
    scorer = Scorer.from_chunks([first, second])
    answer = compose(
        "Welke soorten zijn er?", [make_hit(first)], scorer, "nl", following=following([second, first])
    )
    assert [line.split(" [")[0] for line in answer.answer.splitlines() if line.startswith("- ")] == [
        "- Een verkenning. Die is klein. Die is snel.",  # each item whole, the overlap quoted once
        "- Een artikel. Dat is kort.",
    ]


def test_a_comparison_names_each_project_by_its_own_words() -> None:
    """Each side of "X dan Y" / "X of Y" names its project, by number or by title words; a title
    with "en" in it is one project, and one project named once is one."""
    cat = catalogue()
    assert cat.mentioned_projects("Gaat er meer naar moslimdiscriminatie dan naar project 3?") == [3, 14]
    assert cat.mentioned_projects("Wat is duurder, instroom of behoud en doorstroom?") == [7, 8]
    assert cat.mentioned_projects("Wat kost het project over behoud en doorstroom?") == [8]


def test_the_title_part_of_a_heading_is_no_sentence() -> None:
    """A project's page repeats its heading without the number ("Polarisatie begrijpen"): that
    says where, not what, and is never quoted as an answer sentence."""
    chunk = make_chunk("Polarisatie begrijpen\n\nHet project ontwikkelt een handreiking voor gemeenten.")
    assert [s.text for s in spans(chunk)] == ["Het project ontwikkelt een handreiking voor gemeenten."]


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("Wat is de doelgroep van project 3?", "doelgroep"),
        ("Who are the partners of project 2?", "samenwerking"),
        ("And who is it meant to benefit?", "doelgroep"),
        ("Wat levert project 4 op?", "resultaten"),
        ("Wat doet project 5?", SUMMARY),  # what it does is what it is about
        ("What does project 7 do?", SUMMARY),
        ("Vertel over de doelen van project 3", "doel"),
        ("Wat kost project 3?", None),
    ],
)
def test_the_part_of_a_plan_a_question_asks_for(question: str, part: str | None) -> None:
    assert aspect_of(question) == part
