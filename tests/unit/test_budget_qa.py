"""Budget questions: the parser over many phrasings, exact answers cited to their table rows,
clarifications and their resolution, not-found cases, and the dev questions end to end.

Most tests run on the real work plan parsed and chunked without embeddings (fast); the last ones
use the real ingested index (``corpus_index``, slow).
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from evals.textmatch import option_matches
from ingest.budget.audit import audit_budget
from ingest.pipeline import Corpus, parse_corpus
from kis.settings import Settings
from kis.wiring import ingest_config
from rag.answer.question import detect_language
from rag.budget.intent import BudgetQuery, RoleAsk, parse_budget_question
from rag.budget.qa import BudgetQA
from rag.budget.store import BudgetStore, save_budget
from rag.conversation.state import Scope
from rag.schema import Chunk, Reply
from rag.structure.catalogue import Catalogue
from tests.conftest import CORPUS

VJI = "Verwey-Jonker Instituut"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The real work plan parsed and chunked as ingest does, without embeddings."""
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("var"), corpus_dir=CORPUS)
    return parse_corpus(ingest_config(settings))


@pytest.fixture(scope="module")
def chunks(corpus: Corpus) -> dict[str, Chunk]:
    return {c.id: c for c in corpus.chunks}


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus, chunks: dict[str, Chunk]) -> BudgetQA:
    budget = corpus.budget
    assert budget is not None
    path = tmp_path_factory.mktemp("budget") / "budget.sqlite"
    save_budget(path, budget, audit_budget(budget))
    index: Any = SimpleNamespace(chunks=chunks)
    return BudgetQA(BudgetStore(path), index, Catalogue.from_chunks(chunks.values()))


def ask(qa: BudgetQA, question: str, scope: Scope | None = None) -> tuple[Reply, Scope]:
    result = qa.answer(question, scope or Scope(), detect_language(question))
    assert result is not None, f"geen begrotingsvraag volgens BudgetQA: {question}"
    return result


def parse(qa: BudgetQA, question: str) -> BudgetQuery:
    query = parse_budget_question(question, qa.vocabulary)
    assert query is not None, question
    return query


# --- reading the question -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "projects"),
    [
        ("Hoeveel budget heeft project 3?", (3,)),
        ("wat kost p3", (3,)),
        ("wat kost project drie", (3,)),
        ("How much does project 7 cost?", (7,)),
        ("budget projekt 5", (5,)),
        ("Wat is de begroting van project nr. 12?", (12,)),
        ("Vergelijk project 4 en 6", (4, 6)),
        ("Wat kosten projecten 4, 6 en 9 samen?", (4, 6, 9)),
        ("Which project is more expensive, project 11 (databases) or project 14?", (11, 14)),
        ("Welk project kost meer: 3 of 4?", (3, 4)),
        ("Wat kost het project aanpak moslimdiscriminatie?", (14,)),
        ("hoeveel kost het kennisdossier sinti en roma", (12,)),
        ("Wat is de begroting van project 1 emancipatie en zelfbeschikking?", (1,)),
    ],
)
def test_projects_by_number_or_name(qa: BudgetQA, question: str, projects: tuple[int, ...]) -> None:
    assert parse(qa, question).projects == projects


@pytest.mark.parametrize(
    ("question", "onderdelen"),
    [
        ("Wat kost de portaalfunctie?", ("B",)),
        ("Hoeveel is er begroot voor communicatie?", ("D",)),
        ("hoeveel kost programmaleiding", ("E",)),
        ("Wat is het budget voor verbinding?", ("C",)),
        ("Hoeveel kost ontwikkeling en benutting van kennis?", ("A",)),
        ("wat kost onderdeel b", ("B",)),
        ("Vergelijk onderdelen A en C", ("A", "C")),
        ("vergelijk onderdeel a met onderdeel b", ("A", "B")),
        ("How much is spent on communication?", ("D",)),
        ("What does the portal cost?", ("B",)),
    ],
)
def test_onderdelen_by_letter_or_name(qa: BudgetQA, question: str, onderdelen: tuple[str, ...]) -> None:
    query = parse(qa, question)
    assert (query.onderdelen, query.projects) == (onderdelen, ())


@pytest.mark.parametrize(
    ("question", "organisations"),
    [
        ("Hoeveel ontvangt Movisie in totaal?", ("Movisie",)),
        ("hoeveel geld krijgt het verwey jonker instituut", (VJI,)),
        ("Wat krijgt Verweij-Jonker voor project 11 aan budget?", (VJI,)),
        ("budget VJI", (VJI,)),
        ("Wie krijgt er meer geld, Movisie of het Verwey-Jonker Instituut?", ("Movisie", VJI)),
    ],
)
def test_organisations(qa: BudgetQA, question: str, organisations: tuple[str, ...]) -> None:
    assert parse(qa, question).organisations == organisations


def test_roles_paired_with_their_organisations(qa: BudgetQA) -> None:
    query = parse(
        qa, "Is een senior onderzoeker van Verwey-Jonker per uur duurder dan een expert van Movisie?"
    )
    assert query.measure == "rate" and query.compare
    assert query.roles == (
        RoleAsk(frozenset({"senior"}), "onderzoeker", VJI),
        RoleAsk(frozenset({"expert"}), None, "Movisie"),
    )
    both = parse(qa, "Wie rekent een hoger overheadtarief per uur, Movisie of Verwey-Jonker?")
    assert both.roles == (RoleAsk(frozenset(), "overhead", "Movisie"), RoleAsk(frozenset(), "overhead", VJI))
    english = parse(qa, "What is the hourly rate of a Movisie researcher?")
    assert english.roles == (RoleAsk(frozenset(), "onderzoeker", "Movisie"),)
    assert parse(qa, "Hoeveel uren project-assistent?").roles == (RoleAsk(frozenset(), "assistent"),)


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("Wat is het uurtarief van een senior?", "rate"),
        ("What is the hourly rate of a Movisie expert?", "rate"),
        ("Wat is het stafkostentarief van Movisie?", "rate"),
        ("Hoeveel uur besteedt Verwey-Jonker aan communicatie?", "hours"),
        ("How many hours does Movisie spend on project 5?", "hours"),
        ("Wat kost de medior onderzoeker in project 1?", "amount"),
    ],
)
def test_measure(qa: BudgetQA, question: str, measure: str) -> None:
    assert parse(qa, question).measure == measure


def test_ranking_and_years(qa: BudgetQA) -> None:
    assert parse(qa, "Welk project heeft het grootste budget?").rank == "max"
    assert parse(qa, "Welk project is het goedkoopst?").rank == "min"
    assert parse(qa, "Welke functie heeft het hoogste uurtarief?").rank_target == "roles"
    assert parse(qa, "Welk onderdeel kost het meest?").rank_target == "onderdelen"
    assert parse(qa, "top 3 duurste projecten").top == 3
    assert parse(qa, "Welke projecten kosten meer dan 100.000 euro?").threshold == ("above", 100000)
    assert parse(qa, "Wat is de begroting van KIS voor 2027?").other_year == "2027"
    assert parse(qa, "Wat verdient de directeur van Movisie?").salary


@pytest.mark.parametrize(
    "question",
    [
        "Wie betaalt het actieonderzoek pabo's?",
        "Wat doet KIS aan klimaatverandering?",
        "Hoeveel asielzoekers komen er in 2026 naar Nederland?",
        "What are the results of the project?",
        "Hoeveel deelnemers krijgt project 7?",
        "Wat is de doelgroep van project 3?",
        "Hoe lang duurt project 4?",
        "Wat kost het om mee te doen?",
        "What's the weather forecast for Utrecht tomorrow?",
    ],
)
def test_not_a_budget_question(qa: BudgetQA, question: str) -> None:
    assert parse_budget_question(question, qa.vocabulary) is None
    assert qa.answer(question, Scope(), "nl") is None


# --- exact answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Wat kost project 1?", ["€ 169.839", "€ 65.648", "€ 61.191", "€ 43.000"]),
        ("Wat is het totale budget van project 2?", ["€ 88.146"]),
        ("Hoeveel budget heeft project 3?", ["€ 121.461", "‘Uitbreiding project (3) Polarisatie’: € 10.000"]),
        ("Hoeveel kost project 5?", ["€ 87.325"]),
        ("wat kost p11", ["€ 159.965"]),
        ("Wat kost het project aanpak moslimdiscriminatie?", ["€ 99.970"]),
        ("Wat kost onderdeel A?", ["€ 1.326.564"]),
        ("Wat kost de portaalfunctie in totaal?", ["€ 413.119", "19.275", "Let op"]),
        ("Hoeveel kost verbinding?", ["€ 454.494"]),
        ("Hoeveel is er begroot voor communicatie?", ["€ 348.320"]),
        ("Wat kost de programmaleiding?", ["€ 384.799"]),
        (
            "Wat is de totale begroting van KIS in 2026?",
            ["€ 2.927.296", "€ 1.218.197", "€ 1.459.658", "€ 249.441"],
        ),
        ("Hoeveel ontvangt Movisie in totaal?", ["€ 1.218.197"]),
        ("Hoeveel krijgt het Verwey-Jonker Instituut in totaal?", ["€ 1.459.658"]),
        ("Hoeveel krijgt Movisie voor project 3?", ["€ 70.754"]),
        ("Wat zijn de externe kosten van project 1?", ["€ 43.000"]),
        (
            "Wat is het uurtarief van een senior onderzoeker bij Movisie?",
            ["senior bij Movisie: € 95 per uur"],
        ),
        ("Wat is het uurtarief van een senior onderzoeker bij Verwey-Jonker?", ["€ 132 per uur"]),
        ("Wat is het stafkostentarief van Verwey-Jonker?", ["€ 14 per uur"]),
        ("Hoeveel overhead rekent Movisie per uur?", ["€ 21 per uur"]),
        (
            "Hoeveel uur is er in onderdeel A begroot voor de project-assistent van Movisie?",
            ["307 uur", "19..995"],
        ),
        ("Hoeveel uur werkt de medior onderzoeker in project 1?", ["89 uur"]),
        (
            "Hoeveel uur besteedt Verwey-Jonker aan communicatie?",
            ["1.060 uur", "senior communicatieadviseur 360"],
        ),
        ("Hoeveel uur is er begroot voor project 3?", ["281 uur", "542 uur", "Samen: 823 uur (berekend"]),
        ("Wat kost de medior onderzoeker in project 1?", ["€ 8.399", "89 uur à € 94", "Let op", "8.366"]),
        ("Hoeveel kosten project 7 en 8 samen?", ["€ 84.687", "€ 84.475", "Samen: € 169.162 (berekend"]),
        ("Vergelijk project 4 en 6", ["€ 87.912", "€ 84.627", "verschil € 3.285, berekend"]),
        (
            "Wie krijgt er meer geld, Movisie of Verwey-Jonker?",
            ["€ 1.459.658", "€ 1.218.197", "Het hoogst is"],
        ),
        ("Welke functie heeft het hoogste uurtarief?", ["Het hoogst: senior onderzoeker bij Verwey-Jonker"]),
        ("Wat is het basisbedrag?", ["€ 2.563.000"]),
        ("Hoeveel extra geld krijgt project 11?", ["€ 85.519"]),
        ("Hoeveel fte zit er in onderdeel E?", ["geen fte", "1.822 uur", "de uren tellen op tot 1.447"]),
        (
            "Wat kost de senior communicatieadviseur bij Movisie?",
            ["Onderdeel D. Communicatie – senior communicatieadviseur bij Movisie: € 37.050"],
        ),
        ("Hoeveel uren besteedt KIS in totaal?", ["10.797 uur", "9.903 uur", "Samen: 20.700 uur (berekend"]),
        (
            "Geef de begroting per onderdeel",
            ["€ 1.326.564", "€ 413.119", "€ 454.494", "€ 348.320", "€ 384.799"],
        ),
        ("vergelijk onderdeel a met b", ["verschil € 913.445, berekend"]),
        ("Welk onderdeel is het goedkoopst?", ["Het laagst: Onderdeel D. Communicatie: € 348.320"]),
        ("In welk project krijgt Movisie het meeste geld?", ["Het hoogst: Project 11", "Movisie: € 77.101"]),
        (
            "Welke organisatie krijgt het meeste geld?",
            ["Het hoogst: Totaal KIS 2026 – Verwey-Jonker Instituut"],
        ),
    ],
)
def test_exact_answers(qa: BudgetQA, question: str, expected: list[str]) -> None:
    reply, _ = ask(qa, question)
    assert reply.status == "answered"
    for text in expected:
        assert text in reply.answer, f"{text!r} ontbreekt in:\n{reply.answer}"
    assert reply.citations and "[1]" in reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Which project is more expensive, project 4 or project 6?",
            [
                "€ 87.912 [1]",
                "€ 84.627 [2]",
                "The highest is Project 4. Extremisme en radicalisering: € 87.912,",
                "against € 84.627 for Project 6.",
                "(difference € 3.285, computed).",
            ],
        ),
        (
            "How many hours does Verwey-Jonker spend on communication?",
            ["Onderdeel D. Communicatie – Verwey-Jonker Instituut: 1.060 hours [1]"],
        ),
        (
            "What share of the budget goes to onderdeel B?",
            [
                "Onderdeel B. Portaalfunctie: € 413.119 [1] [2]",
                "That is 14,1% of Totaal KIS 2026: € 2.927.296 [3] (computed).",
                "The additional amounts in the overall overview include ‘Cofinanciering",
                "Note: the budget audit found: Onderdeel B, externe projectkosten / inhuur: in de tabel",
            ],
        ),
        (
            "How much do projects 7 and 8 cost together?",
            ["€ 84.687 [1]", "€ 84.475 [2]", "Together: € 169.162 (computed: 84.687 + 84.475)."],
        ),
        (
            "Which project has the largest budget?",
            [
                "The highest: Project 1. Emancipatie en zelfbeschikking: € 169.839 [1]",
                "\nThen:\n- Project 11.",
            ],
        ),
        ("What is the hourly rate of a Movisie expert?", ["expert at Movisie: € 123 per hour [1]"]),
        (
            "What does the medior researcher in project 1 cost?",
            ["medior onderzoeker at Verwey-Jonker Instituut: € 8.399 [1] (89 hours at € 94)"],
        ),
        (
            "How many FTE are in onderdeel E?",
            ["The budget names hours, not FTE.", "Together: 3.075 hours (computed"],
        ),
        (
            "How much extra money does project 11 get?",
            [
                "Additional amounts:\n- Uitbreiding Database interventies",
                "\nThe budget it belongs to:\nProject 11.",
            ],
        ),
        ("Which projects cost more than 500.000 euro?", ["No project is above € 500.000."]),
        (
            "What does an expert cost in project 1?",
            ["The budget of Project 1. Emancipatie en zelfbeschikking has no expert."],
        ),
    ],
)
def test_english_answers_are_framed_in_english(qa: BudgetQA, question: str, expected: list[str]) -> None:
    """Framing words in English; amounts in Dutch notation and names as the Dutch tables print them."""
    reply, _ = ask(qa, question)
    assert reply.status == "answered" and reply.language == "en"
    for text in expected:
        assert text in reply.answer, f"{text!r} ontbreekt in:\n{reply.answer}"


DUTCH_FRAMING = re.compile(
    r"\b(?:berekend|tegenover|verschil|Samen|Let op|uur|bij|à"
    r"|Het hoogst|Het laagst|Daarna|Dat is|Additionele)\b"
)


@pytest.mark.parametrize(
    "question",
    [
        "Which project is more expensive, project 4 or project 6?",
        "How many hours are budgeted for project 3?",
        "What percentage of the budget goes to project 3?",
        "Which project has the most hours?",
        "Which role has the highest hourly rate?",
        "How many hours does the senior researcher of Verwey-Jonker work in onderdeel C?",
        "How many FTE are in onderdeel E?",
        "How much are the additional amounts together?",
        "What does the portal function cost in total?",
    ],
)
def test_english_budget_answers_have_no_dutch_framing(qa: BudgetQA, question: str) -> None:
    """The audit's findings are quoted as the audit wrote them; every other line is English."""
    reply, _ = ask(qa, question)
    framing = [
        line for line in reply.answer.splitlines() if not line.startswith("Note: the budget audit found:")
    ]
    assert reply.status == "answered" and not DUTCH_FRAMING.findall("\n".join(framing)), reply.answer


def test_largest_and_smallest_project(qa: BudgetQA) -> None:
    largest, scope = ask(qa, "Welk project heeft het grootste budget?")
    assert largest.answer.startswith("Het hoogst: Project 1. Emancipatie en zelfbeschikking: € 169.839")
    assert "Project 11" in largest.answer.splitlines()[2] and scope == Scope()
    smallest, _ = ask(qa, "Welk project is het goedkoopst?")
    assert smallest.answer.startswith("Het laagst: Project 12. Kennisdossier Sinti en Roma: € 40.390")
    assert "40.049" in smallest.answer  # the audit: the overview lists it as € 40.049


def test_listing_with_threshold(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "Welke projecten kosten meer dan 100.000 euro?")
    assert [line.split(".")[0] for line in reply.answer.splitlines()] == [
        "Project 1",
        "Project 3",
        "Project 11",
    ]


def test_no_audit_note_for_a_consistent_figure(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "Hoeveel kost project 3?")
    assert "Let op" not in reply.answer


def test_english_question_gets_an_english_frame(qa: BudgetQA) -> None:
    reply, scope = ask(qa, "What is the budget of project 3?")
    assert reply.language == "en"
    assert reply.answer.startswith("From the budget tables of the KIS work plan 2026")
    assert "answer in Dutch" not in reply.answer
    assert "€ 121.461" in reply.answer and scope == Scope(project=3)


def test_follow_up_uses_the_conversation_scope(qa: BudgetQA) -> None:
    _, scope = ask(qa, "Wat kost project 3?")
    hours, _ = ask(qa, "En hoeveel uur?", scope)
    assert "281 uur" in hours.answer and "542 uur" in hours.answer
    movisie, _ = ask(qa, "En hoeveel krijgt Movisie daarvan?", scope)
    assert "€ 70.754" in movisie.answer


def test_a_role_a_table_lacks_is_said_so(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "Wat kost een expert in project 1?")
    assert reply.answer.startswith("In Project 1. Emancipatie en zelfbeschikking staat geen expert.")


# --- clarifying and resolving ---------------------------------------------------------------


def options(reply: Reply) -> dict[str, str]:
    assert reply.status == "clarify" and reply.clarification is not None
    return {o.label: o.value for o in reply.clarification.options}


def test_ambiguous_senior_rate_is_asked_back_and_resolved(qa: BudgetQA) -> None:
    question = "wat is het uurtarief van een senior?"
    offered = options(ask(qa, question)[0])
    assert offered == {
        f"{VJI}: senior onderzoeker (€ 132 per uur)": f"organisation={VJI}&role=Senior onderzoeker",
        "Movisie: senior (€ 95 per uur)": "organisation=Movisie&role=Senior",
    }
    answers = {value: ask(qa, question, Scope.from_value(value))[0].answer for value in offered.values()}
    assert answers == {
        f"organisation={VJI}&role=Senior onderzoeker": f"senior onderzoeker bij {VJI}: € 132 per uur [1]",
        "organisation=Movisie&role=Senior": "senior bij Movisie: € 95 per uur [1]",
    }


def test_a_settled_role_stays_the_subject_of_the_conversation(qa: BudgetQA) -> None:
    """After "Movisie" picked the senior, "and how many hours do they work?" asks about that role."""
    _, scope = ask(
        qa, "wat is het uurtarief van een senior?", Scope.from_value("organisation=Movisie&role=Senior")
    )
    assert scope == Scope(organisation="Movisie", role="Senior")
    reply, _ = ask(qa, "and how many hours do they work in total?", scope)
    assert "senior at Movisie" in reply.answer and "hours" in reply.answer
    _, plain = ask(qa, "Hoeveel kost project 3?")
    assert plain == Scope(project=3)  # no role asked, none remembered


def test_a_share_going_to_an_organisation_is_a_budget_question(qa: BudgetQA) -> None:
    for question in ("Hoeveel daarvan gaat naar Verwey-Jonker?", "How much of that goes to Verwey-Jonker?"):
        reply, _ = ask(qa, question, Scope(project=3))
        assert "€ 40.707" in reply.answer, question
    reply, _ = ask(qa, "En hoeveel gaat er naar communicatie?")  # a part named by its title's word
    assert "€ 348.320" in reply.answer
    assert parse_budget_question("Waar gaat het project naar toe?", qa.vocabulary) is None
    why = "Waarom kost project 1 het meest?"  # the tables say how much, never why
    assert parse_budget_question(why, qa.vocabulary) is None
    share = "Hoeveel procent van de statushouders zit langer in de opvang?"  # a title word, no budget
    assert parse_budget_question(share, qa.vocabulary) is None


def test_ambiguous_project_is_asked_back_and_resolved(qa: BudgetQA) -> None:
    question = "Hoeveel kost het arbeidsmarktproject?"
    offered = options(ask(qa, question)[0])
    assert list(offered.values()) == [
        "project=7",
        "project=8",
        "project=9",
        "ander",
    ]  # 9 aims at the arbeidsmarkt
    assert any(
        option_matches("Project 8 Gelijke kansen op de arbeidsmarkt: behoud en doorstroom", o)
        for o in offered
    )
    reply, scope = ask(qa, question, Scope.from_value("project=8"))
    assert "Project 8." in reply.answer and "€ 84.475" in reply.answer and scope == Scope(project=8)


@pytest.mark.parametrize(
    "question",
    [
        "Wat is het uurtarief van een senior onderzoeker bij Movisie?",
        "Hoeveel budget heeft het Verwey-Jonker Instituut?",
        "Wat is de begroting van Project 3?",
        "Wat kost de Portaalfunctie van KIS?",
        "Wat is het basisbedrag van de KIS-begroting voor 2026?",
    ],
)
def test_names_the_tables_hold_are_not_foreign(qa: BudgetQA, question: str) -> None:
    assert ask(qa, question)[0].status == "answered"


def test_projects_numbered_after_a_compound_are_added_up(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "Hoeveel kosten de drie arbeidsmarktprojecten 7, 8 en 9 samen?")
    assert reply.status == "answered" and "Samen: € 253.637" in reply.answer


def test_hours_of_a_role_both_organisations_have_are_asked_back(qa: BudgetQA) -> None:
    offered = options(ask(qa, "Hoeveel uur werkt de senior?")[0])
    assert set(offered.values()) == {
        Scope(organisation=VJI, role="Senior onderzoeker").to_value(),
        Scope(organisation="Movisie", role="Senior").to_value(),
    }
    named, _ = ask(qa, "Hoeveel uur werkt een expert van Movisie in 2026 aan KIS?")
    assert named.status == "answered"


def test_an_addition_named_by_a_word_several_share_is_asked_back_and_resolved(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "Wat kost de uitbreiding?")
    offered = options(reply)
    assert reply.status == "clarify" and len(offered) == 3 and "project=11" in offered.values()
    chosen, _ = ask(qa, "Wat kost de uitbreiding?", Scope.from_value("project=11"))
    assert "€ 85.519" in chosen.answer and "€ 50.000" not in chosen.answer
    project_total, _ = ask(qa, "Wat kost project 11?")
    assert project_total.answer.splitlines()[0].split(" [")[0] in chosen.answer  # the budget it is part of
    extension, _ = ask(qa, "How much additional funding is there for extending project 3?")
    assert re.findall(r"^- (.*): €", extension.answer, re.M) == ["Uitbreiding project (3) Polarisatie"]
    listed, _ = ask(qa, "Welke additionele bedragen zijn er?")
    assert listed.status == "answered" and "€ 50.000" in listed.answer and "Samen" not in listed.answer
    summed, _ = ask(qa, "Hoeveel zijn de additionele bedragen samen?")
    amounts = [int(a.replace(".", "")) for a in re.findall(r"^- .*: € ([\d.]+)", summed.answer, re.M)]
    total = re.search(r"Samen: € ([\d.]+) \(berekend", summed.answer)
    assert len(amounts) >= 2 and total and int(total.group(1).replace(".", "")) == sum(amounts)


def test_a_listing_asked_together_is_summed_and_says_so(qa: BudgetQA) -> None:
    listed, _ = ask(qa, "Wat kosten de projecten?")  # every project, not a sum nobody asked for
    assert len(re.findall(r"^Project \d+\.", listed.answer, re.M)) == len(qa.catalogue.projects)
    assert "Samen" not in listed.answer
    summed, _ = ask(qa, "Hoeveel kosten alle projecten samen?")
    amounts = [
        int(a.replace(".", "")) for a in re.findall(r"^Project \d+\..*: € ([\d.]+)", summed.answer, re.M)
    ]
    total = re.search(r"Samen: € ([\d.]+) \(berekend", summed.answer)
    assert len(amounts) == len(qa.catalogue.projects) and total
    assert int(total.group(1).replace(".", "")) == sum(amounts)


def test_how_many_are_above_an_amount_is_listed_and_counted(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "Hoeveel onderdelen hebben een budget boven de 400.000?")
    amounts = [
        int(a.replace(".", "")) for a in re.findall(r"^Onderdeel [A-E]\..*?: € ([\d.]+)", reply.answer, re.M)
    ]
    assert amounts and all(a > 400_000 for a in amounts) and len(amounts) < len(qa.catalogue.onderdelen)
    assert f"Aantal: {len(amounts)}." in reply.answer


def test_hours_of_a_role_come_with_what_they_cost(qa: BudgetQA) -> None:
    reply, _ = ask(
        qa, "Hoeveel uur senior onderzoeker van het Verwey-Jonker Instituut zit er in onderdeel C?"
    )
    match = re.search(r"\(([\d.]+) uur à € (\d+) = € ([\d.]+)\)", reply.answer)
    assert match, reply.answer
    hours, rate, cost = match.groups()
    assert int(hours.replace(".", "")) * int(rate) == int(cost.replace(".", ""))  # the row is consistent


def test_budget_reply_lists_its_cited_table_passages_as_retrieved(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "Hoeveel budget heeft project 3?")
    cited = list(dict.fromkeys(c.chunk_id for c in reply.citations))
    assert cited and [r.chunk_id for r in reply.retrieved] == cited
    assert [r.rank for r in reply.retrieved] == list(range(1, len(cited) + 1))
    by_id = {r.chunk_id: r.text for r in reply.retrieved}
    assert all(c.snippet in by_id[c.chunk_id] for c in reply.citations)


def test_budget_without_subject_is_asked_back_and_resolved(qa: BudgetQA) -> None:
    offered = options(ask(qa, "Wat is het budget?")[0])
    assert list(offered.values()) == [
        "programme=True",
        "onderdeel=A",
        "onderdeel=B",
        "onderdeel=C",
        "onderdeel=D",
        "onderdeel=E",
        "ander",
    ]
    assert options(ask(qa, "Wat is het totaal?")[0]) == offered  # which total, as which budget
    assert options(ask(qa, "Wat is het totaalbedrag?")[0]) == offered
    programme, _ = ask(qa, "Wat is het budget?", Scope.from_value("programme=True"))
    assert "€ 2.927.296" in programme.answer
    portal, scope = ask(qa, "Wat is het budget?", Scope.from_value("onderdeel=B"))
    assert "€ 413.119" in portal.answer and scope == Scope(onderdeel="B")


def test_rate_of_a_role_two_organisations_charge_differently(qa: BudgetQA) -> None:
    offered = options(ask(qa, "Wat is het uurtarief van een communicatieadviseur?")[0])
    assert set(offered) == {
        f"{VJI}: communicatieadviseur (€ 69 per uur)",
        "Movisie: communicatieadviseur (€ 68 per uur)",
    }
    english = ask(qa, "What is the hourly rate of a senior?")[0]
    assert english.language == "en" and english.answer.startswith("Which one do you mean:")


def test_rate_of_a_role_at_several_levels_is_asked_back_unless_an_organisation_narrows_it(
    qa: BudgetQA,
) -> None:
    offered = options(ask(qa, "Wat is het uurtarief van een onderzoeker?")[0])
    rates = {re.search(r"€ (\d+) per uur", label).group(1) for label in offered}  # type: ignore[union-attr]
    assert len(rates) >= 3  # senior, medior and plain researchers: each its own rate
    answered, _ = ask(qa, "Wat is het uurtarief van een onderzoeker bij Verwey-Jonker?")
    assert answered.status == "answered" and answered.answer.count("per uur") == 1


# --- not found ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Wat is de begroting van KIS voor 2027?", "alleen de begroting voor 2026"),
        ("Wat was de begroting van KIS in 2024?", "een begroting voor 2024 staat er niet in"),
        ("Wat verdient de directeur van Movisie?", "geen salarissen"),
        ("Wat is het salaris van een senior onderzoeker?", "geen salarissen"),
        ("Hoeveel kost project 15?", "geen project 15"),
        ("Wat is het uurtarief van een stagiair?", "geen functie ‘stagiair’"),
        ("Wat kost een junior bij Verwey-Jonker?", f"geen functie ‘junior bij {VJI}’"),
        ("What was the budget in 2024?", "only hold the 2026 budget"),
        ("Wat is de begroting van het COA voor 2026?", "over ‘COA’ staat er niets in"),
        ("Wat is het uurtarief van een onderzoeker bij TNO?", "over ‘TNO’ staat er niets in"),
        (
            "Hoeveel geld besteedt de gemeente Rotterdam aan discriminatie?",
            "over ‘Rotterdam’ staat er niets in",
        ),
        ("Hoeveel subsidie krijgt Movisie van het ministerie van VWS?", "over ‘VWS’"),
    ],
)
def test_not_found(qa: BudgetQA, question: str, said: str) -> None:
    reply, _ = ask(qa, question)
    assert reply.status == "not_found" and said in reply.answer and not reply.citations


# --- citations ------------------------------------------------------------------------------


def assert_cited_lines(reply: Reply, chunks: dict[str, Chunk]) -> None:
    """Each citation is a whole line of a budget passage, at its document offsets."""
    for citation in reply.citations:
        chunk = chunks[citation.chunk_id]
        start, end = citation.start - chunk.start, citation.end - chunk.start
        assert chunk.text[start:end] == citation.snippet
        assert start == 0 or chunk.text[start - 1] == "\n" or chunk.text[:start].endswith("- ")
        assert end == len(chunk.text) or chunk.text[end] == "\n"
        assert "Begroting" in citation.section == chunk.section_path


TOTALS = {
    1: "169.839",
    2: "88.146",
    3: "121.461",
    4: "87.912",
    5: "87.325",
    6: "84.627",
    7: "84.687",
    8: "84.475",
    9: "84.475",
    10: "84.331",
    11: "159.965",
    12: "40.390",
    13: "49.182",
    14: "99.970",
}


@pytest.mark.parametrize("number", list(TOTALS))
def test_project_total_cites_its_own_table(qa: BudgetQA, chunks: dict[str, Chunk], number: int) -> None:
    reply, _ = ask(qa, f"Wat kost project {number}?")
    assert_cited_lines(reply, chunks)
    first = reply.citations[0]
    assert first.snippet == f"Totaal Project {TOTALS[number]}"
    assert f"Project {number}." in first.section and "7. Begroting" in first.section


def test_project_tables_under_the_wrong_heading_are_still_found_by_their_rows(
    qa: BudgetQA, chunks: dict[str, Chunk]
) -> None:
    """Projects 8 and 9 print the same totals; each cites the passage holding its own rows."""
    eight, nine = (ask(qa, f"Hoeveel uur besteedt Verwey-Jonker aan project {n}?")[0] for n in (8, 9))
    assert eight.citations[0].snippet == "Stafkosten Verwey-Jonker Instituut 14 323 4.522"
    assert nine.citations[0].snippet == "Stafkosten Verwey-Jonker Instituut 14 311 4.522"
    assert eight.citations[0].chunk_id != nine.citations[0].chunk_id


@pytest.mark.parametrize(
    ("question", "snippets", "section"),
    [
        (
            "Wat kost de portaalfunctie?",
            ["Totaal Project 413.119", "B Portaal en vraagbaak 161.190 232.654 19.275 413.119"],
            "Onderdeel B.",
        ),
        (
            "Wat is de totale begroting van KIS?",
            ["Totaal 1.218.197 1.459.658 249.441 2.927.296"],
            "Totaal overzichten",
        ),
        ("Hoeveel ontvangt Movisie in totaal?", ["Totaal Movisie 1.218.197"], "Totaal overzichten"),
        (
            "Wat kost de medior onderzoeker in project 1?",
            ["Verwey-Jonker Instituut Medior onderzoeker 94 89 8.399"],
            "Project 1.",
        ),
        (
            "Hoeveel uur besteedt Verwey-Jonker aan communicatie?",
            ["Stafkosten Verwey-Jonker Instituut 14 1.060 14.840"],
            "Onderdeel D.",
        ),
        (
            "What is the hourly rate of a Movisie expert?",
            ["Movisie Expert 123 1.217 149.691"],
            "Totaal overzichten",
        ),
        (
            "Hoeveel is de cofinanciering voor de portaalfunctie?",
            ["Cofinanciering min. SZW portaalfunctie € 30.000"],
            "Totaal overzichten",
        ),
    ],
)
def test_citations_are_exact_table_lines(
    qa: BudgetQA, chunks: dict[str, Chunk], question: str, snippets: list[str], section: str
) -> None:
    reply, _ = ask(qa, question)
    assert_cited_lines(reply, chunks)
    assert [c.snippet for c in reply.citations][: len(snippets)] == snippets
    assert section in reply.citations[0].section


def test_a_follow_up_keeps_the_one_role_and_the_programme_it_was_about(qa: BudgetQA) -> None:
    hours, scope = ask(qa, "Hoeveel uur werkt een expert van Movisie in 2026 aan KIS?")
    match = re.search(r"= (€ [\d.]+)\)", hours.answer)
    assert match and scope.programme and scope.role, hours.answer
    cost, _ = ask(qa, "en wat kost dat?", scope)
    assert cost.status == "answered" and cost.answer.count("€") == 2 and match.group(1) in cost.answer


def test_a_budget_question_asked_back_shows_the_tables_of_its_options(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "Hoeveel kost het arbeidsmarktproject?")
    projects = [v.removeprefix("project=") for v in options(reply).values() if v.startswith("project=")]
    assert reply.status == "clarify" and len(projects) >= 2
    sections = [r.section for r in reply.retrieved]
    assert len(sections) == len(projects)
    assert all(
        f"Project {n}." in s and s.endswith("7. Begroting") for n, s in zip(projects, sections, strict=True)
    )


@pytest.mark.parametrize(
    "question",
    [
        "Welk deel van de totale begroting gaat naar communicatie?",
        "What percentage of the budget goes to project 3?",
        "Wat is het aandeel van Movisie in project 2?",
    ],
)
def test_a_share_is_computed_from_the_figures_it_shows_and_says_so(qa: BudgetQA, question: str) -> None:
    reply, _ = ask(qa, question)
    part = re.search(r": € ([\d.]+)", reply.answer)
    share = re.search(
        r"(?:Dat is|That is) ([\d,]+)% (?:van|of) .*: € ([\d.]+) \[\d+\] \((?:berekend|computed)\)",
        reply.answer,
    )
    assert part and share, reply.answer
    amount, whole = (int(g.replace(".", "")) for g in (part.group(1), share.group(2)))
    assert share.group(1) == f"{100 * amount / whole:.1f}".replace(".", ",")


def test_the_total_budget_is_the_projects_in_a_conversation_about_one(qa: BudgetQA) -> None:
    reply, _ = ask(qa, "And what is the total budget?", Scope(project=13))
    assert "€ 49.182" in reply.answer and "2.927.296" not in reply.answer
    reply, _ = ask(qa, "Wat is de totale begroting?")
    assert "€ 2.927.296" in reply.answer
    reply, _ = ask(qa, "Wat is de totale begroting van KIS?", Scope(project=13))  # named: the programme
    assert "€ 2.927.296" in reply.answer
