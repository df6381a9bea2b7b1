"""The expected answer type breaks ties between sentences that cover a question alike."""

from __future__ import annotations

import pytest

from rag.answer.answer_types import answers, asks_for, counted, counts, holds
from rag.answer.compose import Scorer, compose, spans
from rag.schema import Chunk
from tests.factories import make_chunk, make_hit


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hoeveel workshops geeft het project?", "number"),
        ("How many participants are expected?", "number"),
        ("Wanneer verschijnt het rapport?", "time"),
        ("Hoe vaak komt de werkgroep bijeen?", "time"),
        ("Wie is de voorzitter?", "person"),
        ("Which organisation hosts the meetings?", "name"),
        ("Hoe wil KIS het persbeleid aanscherpen?", "manner"),
        ("Hoeveel kost het?", "amount"),
        ("How much did the evaluation cost?", "amount"),
        ("Waarom reserveert KIS niet meer?", "reason"),
        ("Wat is het doel van het project?", None),
        ("Welke drie pabo's doen mee?", "name"),
        ("Which AI model or vendor does the pilot use?", "name"),
        ("Op welke datum is het congres?", "date"),
        ("Wie is de projectleider van project 3?", "person"),
        ("Who is the chair of the advisory board?", "person"),
        ("What is the name of the photographer?", "name"),
        ("Wat is een kennisatelier?", "definition"),
        ("What are vignettes?", "definition"),
        ("What is the main research question?", None),  # a definite article: a part, no definition
        ("Wat kost een training voor gemeenten?", "amount"),
        ("Wat is het budget van het project Samen in gesprek?", "amount"),
        ("What does the evaluation cost?", "amount"),
        ("Wie is de contactpersoon voor polarisatie?", "person"),
        ("Who is the contact person for racism?", "person"),
    ],
)
def test_what_a_question_asks_for(question: str, kind: str | None) -> None:
    assert asks_for(question) == kind


def test_a_contact_person_is_named_where_one_is_to_be_contacted() -> None:
    question = "Wie is de contactpersoon voor polarisatie?"
    assert holds("person", "Neem contact op met Jeroen Bakhuis, senior adviseur, j.bakhuis@kis.nl.", question)
    assert not holds("person", "Neem contact op met ons via het algemene nummer.", question)


def test_a_sentence_holds_only_what_the_question_does_not_already_say() -> None:
    question = "Hoeveel bijeenkomsten organiseert het project in 2026?"
    assert holds("number", "Dat gebeurt op twee momenten.", question)
    assert not holds("number", "In 2026 organiseren we bijeenkomsten.", question)  # 2026 is asked
    assert not holds("number", "9. Bijeenkomsten met partners.", question)  # a list mark is no amount
    assert not holds("number", "In 2025 start de pilot met partners.", question)  # a year is no count
    assert holds("time", "Het rapport verschijnt in november 2026.", "Wanneer verschijnt het rapport?")
    assert holds("time", "We schrijven een evaluatierapport (dec 2026).", "Wanneer is het rapport klaar?")
    assert holds("name", "- Naïma Azough (voorzitter)", "Wie is de voorzitter?")
    assert not holds("name", "De Raad van advies denkt mee.", "Wie zit in de Raad van advies?")
    assert holds("manner", "Dat doen we door het in kaart brengen van media.", "Hoe doen we dat?")
    assert holds("reason", "We doen het niet, omdat de tijd kort is.", "Waarom doen we het niet?")
    assert holds("amount", "Daarvoor is € 25.000 gereserveerd.", "Hoeveel kost het?")
    assert not holds("amount", "Het duurt tien jaar.", "Hoeveel kost het?")  # a count is no amount
    assert not holds("number", "Het congres is in de eerste helft van 2027.", "Hoeveel mensen komen er?")
    assert holds("date", "Het congres is op 12 mei 2027.", "Op welke datum is het congres?")
    assert not holds("date", "Het congres is in de eerste helft van 2027.", "Op welke datum is het congres?")
    chair = "Wie is de voorzitter van de Raad van advies?"
    assert holds("person", "- Naïma Azough (voorzitter)", chair)
    assert not holds("person", "De voorzitter leidt de Raad van advies.", chair)  # a role, no one named
    holder = "Wie is de leerstoelhouder?"
    assert not holds("person", "De leerstoel ‘Sociale ongelijkheid & Veerkracht’ loopt door.", holder)
    defined = "Wat is een kennisatelier?"
    assert holds("definition", "Een kennisatelier betreft een bijeenkomst over een vraag.", defined)
    assert not holds("definition", "We organiseren een kennisatelier in mei.", defined)
    assert not holds("definition", "Een kennisatelier is", defined)  # cut off: says nothing
    assert holds("definition", "Vignetten zijn geanonimiseerde verhalen.", "What are vignettes?")
    koepel = "Zo stemmen we af met Discriminatie.nl, de koepel van de ADV's."
    assert holds("definition", koepel, "Wat is Discriminatie.nl?")


def test_an_answer_answers_when_it_holds_what_is_asked_for_not_counting_its_marks() -> None:
    question = "Hoeveel keer komt de werkgroep bijeen?"
    assert answers(question, "We gaan uit van vijf bijeenkomsten. [1]")
    assert not answers(question, "De werkgroep bestaat uit partners. [1] [2]")  # marks are no count
    assert not answers(question, "1. Het samenstellen van de werkgroep. [1]\n2. Het rapport. [1]")
    which = "Welke fotograaf huurt KIS in?"
    assert not answers(which, "We huren een fotograaf in. [1] Momenteel werkt stockfotografie. [1]")
    assert not answers(which, "Uit KIS-onderzoeken blijkt dat beelden tellen. [1]")
    assert answers(which, "We huren een fotograaf in. [1] Dat wordt Studio Vermeer. [1]")
    assert answers("Wat doet de werkgroep?", "De werkgroep bestaat uit partners. [1]")  # no type asked


def test_the_sentence_with_the_amount_asked_for_answers() -> None:
    chunk = make_chunk(
        "Het project organiseert bijeenkomsten met partners over polarisatie. "
        "Het project organiseert drie bijeenkomsten met partners in het voorjaar."
    )
    scorer = Scorer.from_chunks([chunk, make_chunk("Iets anders over de begroting.")])
    answer = compose(
        "Hoeveel bijeenkomsten met partners organiseert het project?", [make_hit(chunk)], scorer, "nl"
    )
    assert answer.answer.startswith("Het project organiseert drie bijeenkomsten")


def test_a_count_of_what_is_asked_answers_over_sentences_about_it() -> None:
    about = make_chunk(
        "Daarnaast voeren we een kwalitatief onderzoek uit met interviews en focusgroepen onder jongeren."
    )
    planning = make_chunk("Twaalf gemeenten doen mee.\n16 interviews met jongeren\n4 focusgroepen jongeren")
    scorer = Scorer.from_chunks([about, planning, make_chunk("Iets anders over de begroting.")])
    question = "Hoeveel interviews en focusgroepen houdt het project?"
    assert counted(question) == {"interview"}
    assert counts("16 interviews met jongeren", counted(question))
    assert not counts("Twaalf gemeenten doen mee aan de interviews.", counted(question))  # another count
    answer = compose(question, [make_hit(about), make_hit(planning, rank=1)], scorer, "nl").answer
    assert answer.startswith("16 interviews met jongeren")


def test_the_sentence_that_goes_on_from_the_best_one_follows_it() -> None:
    chunk = make_chunk(
        "Nieuw dit jaar is dat initiatieven niet alleen van externe partijen komen. "
        "Ook medewerkers van KIS kunnen het initiatief nemen. "
        "Het portaal bestaat sinds 2015."
    )
    scorer = Scorer.from_chunks([chunk, make_chunk("Iets anders over de begroting.")])
    answer = compose("Wat is er dit jaar nieuw aan initiatieven?", [make_hit(chunk)], scorer, "nl").answer
    assert answer.startswith("Nieuw dit jaar") and "Ook medewerkers van KIS" in answer
    assert "sinds 2015" not in answer  # no continuation, and it does not cover the question


def test_a_sentence_that_refers_back_to_the_continuation_follows_it_too() -> None:
    chunk = make_chunk(
        "Uit de evaluatie kwam naar voren dat vraagstellers zich niet goed geïnformeerd voelen. "
        "Ook sluit het eindproduct niet altijd aan bij hun vraag. "
        "Om dit te verbeteren zullen we vraagstellers voortaan duidelijker informeren. "
        "Daarnaast evalueren we elk project."
    )
    scorer = Scorer.from_chunks([chunk, make_chunk("Iets anders over de begroting.")])
    answer = compose("Wat gaat KIS doen na de evaluatie?", [make_hit(chunk)], scorer, "nl").answer
    assert "Om dit te verbeteren" in answer and "Daarnaast evalueren" not in answer


def test_the_section_heading_is_the_context_of_each_of_its_sentences() -> None:
    chunk = make_chunk(
        "De Raad van advies bestaat uit gezaghebbende personen die met KIS meedenken. "
        "De leden van de Raad van advies zijn:\n- Naïma Azough (voorzitter)\n- Rinda den Besten",
        section=("Onderdeel C", "c. Raad van advies"),
        project=None,
    )
    others = [make_chunk(f"De voorzitter van werkgroep {n} opent de bijeenkomst.") for n in range(2)]
    scorer = Scorer.from_chunks([chunk, *others])
    answer = compose("Wie is de voorzitter van de Raad van advies?", [make_hit(chunk)], scorer, "nl").answer
    assert answer.startswith("- Naïma Azough (voorzitter)")


def _others() -> list[Chunk]:
    """Passages that make "gaan", "we" and "samen" common words."""
    return [make_chunk(f"Werkgroep {n} gaat en wij gaan ook, we doen het samen.") for n in range(12)]


@pytest.mark.parametrize(
    ("text", "question", "opens", "contains"),
    [
        (  # the count the best sentence lacks sits in the sentence before it
            "We selecteren uit de groep een diverse groep van 12 deelnemers. "
            "We spreken met hen af dat we hen jaarlijks zullen volgen tot en met 2029. "
            "Het onderzoek loopt in de opvang.",
            "Hoeveel mensen volgt het project jaarlijks tot en met 2029?",
            "We spreken met hen af",
            "12 deelnemers",
        ),
        (  # a sentence that only restates the question is followed by the next
            "Ook het persbeleid gaan we aanscherpen. "
            "We richten onze uitingen op niche media. "
            "De website krijgt een nieuw ontwerp.",
            "Wat gaat KIS met het persbeleid doen?",
            "Ook het persbeleid",
            "niche media",
        ),
        (  # "welke voorwaarde": the sentence that names the condition, two further on
            "Ook medewerkers van KIS kunnen het initiatief nemen. "
            "Hierdoor kunnen we snel inspelen op ontwikkelingen. "
            "Voorwaarde is dat partners aantoonbaar betrokken zijn.",
            "Welke voorwaarde geldt als medewerkers van KIS het initiatief nemen?",
            "Ook medewerkers van KIS",
            "Voorwaarde is dat partners",
        ),
        (  # the count sits near a later chosen sentence; a year is no count
            "De pilot presenteren we aan partners als ESS en SZW. "
            "In 2025 loopt de pilot op websites van partners. "
            "Het team schrijft er een artikel over. "
            "Wij werken aan een rapport.\n\n"
            "9. Delen van kennis met kennispartners zoals ESS en SZW.\n\n"
            "Dat gebeurt op twee momenten.",
            "Hoeveel bijeenkomsten met kennispartners als ESS en SZW zijn er in 2026?",
            "De pilot presenteren",
            "op twee momenten",
        ),
    ],
)
def test_what_the_answer_lacks_is_taken_from_close_by(
    text: str, question: str, opens: str, contains: str
) -> None:
    chunk = make_chunk(text)
    scorer = Scorer.from_chunks([chunk, *_others()])
    answer = compose(question, [make_hit(chunk)], scorer, "nl").answer
    assert answer.startswith(opens) and contains in answer


def test_an_enumerator_is_no_count_and_a_compound_says_its_parts() -> None:
    asked = "Hoeveel respondenten krijgt de enquête?"
    assert not answers(asked, "We starten met (1) een behoeftenonderzoek en (2) een enquête. [1]")
    assert answers(asked, "De enquête gaat naar (circa) 400 respondenten. [1]")
    named = "Hoe heet de AI-chatbot die KIS test?"
    assert not answers(named, "10. AI: In 2025 is KIS gestart met een pilot. [1]")
    assert answers(named, "De chatbot heet Kiki. [1]")


def test_a_table_row_or_a_reference_entry_is_no_answer_sentence() -> None:
    chunk = make_chunk(
        "Planning in maanden 1 2 3 4 5 6 7 8 9 10 11 12\n"
        "Gender and Education, 36(2), 167-182.\n"
        "De enquête loopt van maart tot en met juni 2026.",
        section=("Project 7. Arbeidsmarkt", "Planning"),
    )
    assert [s.text for s in spans(chunk)] == ["De enquête loopt van maart tot en met juni 2026."]
