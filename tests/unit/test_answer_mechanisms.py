"""Unit tests of the answering mechanisms on hand-made passages: corpus words (unknown words and
typos), refusal, clarification, project names, and lists in extractive answers."""

from __future__ import annotations

from rag.answer.assistant import on_topic, scope_of
from rag.answer.clarify import clarification_for
from rag.answer.compose import Scorer, compose, quote, spans
from rag.answer.decide import Decider, lacks_asked
from rag.answer.replies import not_found_reply
from rag.conversation.rewrite import rewrite
from rag.conversation.state import ConversationState, Scope
from rag.language.vocabulary import CorpusWords
from rag.retrieval.retriever import Hit
from rag.schema import Chunk
from rag.store.bm25 import tokenize
from rag.structure.catalogue import Catalogue
from tests.factories import make_chunk, make_hit

PORTAL = make_chunk(
    "Kleine vragen worden afgehandeld via de vraagbaak. De nieuwsbrief verschijnt tweewekelijks. "
    "De evaluatie van de klimaatstrategie volgt later.",
    project=None,
    section=("Onderdeel B: Portaalfunctie",),
)
WORDS = CorpusWords.from_chunks([PORTAL])


def test_unknown_words_are_those_the_corpus_has_in_no_form() -> None:
    assert WORDS.unknown("Geef me een recept voor appeltaart.") == ["appeltaart"]
    assert WORDS.unknown("Hoe vaak verschijnt de nieuwsbrieven?") == []  # a known word's beginning
    assert WORDS.unknown("Hoe worden vragen afgehandeld?") == []
    assert WORDS.unknown("Wanneer is de vraagbaakevaluatie?") == []  # a compound of known words
    assert WORDS.unknown("Hoe vaak komt de niewsbrief?") == []  # a typo of a known word
    assert WORDS.unknown("Wat staat er allemaal in de nieuwsbrief?") == []  # everyday Dutch names no topic


def test_typos_of_long_words_are_corrected_and_short_words_left_alone() -> None:
    assert WORDS.correct("Hoe vaak komt de Niewsbrief uit?") == "Hoe vaak komt de nieuwsbrief uit?"
    assert WORDS.correct("Wat kost de vraag?") == "Wat kost de vraag?"
    assert (
        WORDS.correct("Wanneer volgt de klimatstrategi?") == "Wanneer volgt de klimaatstrategie?"
    )  # two typos


def test_a_question_about_what_the_sources_never_name_is_refused() -> None:
    scorer = Scorer.from_chunks([PORTAL])
    decider = Decider(scorer, WORDS)
    hits = [make_hit(PORTAL, similarity=0.9)]
    assert not decider.answerable("Wat vindt KIS van appeltaart?", hits, "nl")
    assert decider.answerable("Hoe vaak verschijnt de nieuwsbrief?", hits, "nl")
    assert not Decider(scorer).answerable("Wat kost het in 2027?", hits, "nl")  # a year never mentioned
    assert not decider.answerable("Is de vraagbaak morgen open?", hits, "nl")  # a day, never mentioned
    assert not decider.answerable("Does the newsletter come out next week?", hits, "en")
    assert decider.answerable("Does the newsletter come out every two weeks?", hits, "en")
    lexical_only = [Hit(PORTAL, 1.0, bm25_rank=1)] * 3  # BM25 found them; dense ranked them lower
    assert decider.answerable("Hoe vaak verschijnt de nieuwsbrief?", [*lexical_only, *hits], "nl")


def test_a_how_many_answer_without_a_count_is_no_answer() -> None:
    question = "Hoeveel medewerkers werken er bij KIS?"
    assert lacks_asked(question, "Ook medewerkers van KIS kunnen het initiatief nemen in 2026. [1]")
    assert not lacks_asked(question, "Bij KIS werken twaalf medewerkers. [1]")
    assert not lacks_asked("Hoeveel Nederlanders ervaren polarisatie?", "Driekwart van hen ervaart het. [1]")
    assert not lacks_asked("Wie werken er bij KIS?", "Medewerkers van Movisie. [1]")  # no count asked
    assert lacks_asked("Hoeveel heeft de evaluatie gekost?", "De evaluatie duurde tien weken. [1]")
    assert not lacks_asked("Hoeveel heeft de evaluatie gekost?", "De evaluatie kostte € 12.000. [1]")


def test_a_which_organisation_answer_without_a_name_is_no_answer() -> None:
    question = "Welke drie pabo's doen mee aan het actieonderzoek?"
    assert lacks_asked(question, "In 2025 hebben we 3 pabo's gesproken die wilden meedoen. [1]")
    assert not lacks_asked(question, "Mee doen de Hogeschool Rotterdam, iPabo en Marnix Academie. [1]")
    # a heading glued to its sentence capitalises an everyday word mid-line: "We" names no one
    assert lacks_asked(question, "2. Monitoring en evaluatie fase We monitoren de pabo’s. [1]")
    named = "What is the name of the photographer KIS hires?"
    assert lacks_asked(named, "We huren een fotograaf in voor de beeldbank. [1]")
    day = "Op welke datum is het KIS Congres?"
    assert lacks_asked(day, "Het congres is in de eerste helft van 2027. [1]")
    assert not lacks_asked(day, "Het congres is op 12 mei 2027 in Utrecht. [1]")
    leader = "Wie is de projectleider van project 3?"
    assert lacks_asked(leader, "De projectleider werkt samen met Movisie. [1]")
    assert not lacks_asked(leader, "Projectleider Jan de Vries werkt samen met Movisie. [1]")
    # "wie" is answered by a group as well as by a name: it is not held to a name
    assert not lacks_asked("Wie is de doelgroep?", "Professionals in het onderwijs. [1]")


def test_an_english_question_finds_the_dutch_sentence_by_cognates_and_the_glossary() -> None:
    chunk = make_chunk("Het budget is vastgesteld in mei. Het project betrekt organisaties uit het veld.")
    scorer = Scorer.from_chunks([chunk])
    (english,), (dutch,) = tokenize(["organisations"]), tokenize(["organisaties"])
    assert scorer.cognate(english[0]) == dutch[0]
    assert scorer.cognate("budget") == "budget"  # a corpus word stays itself
    answer = compose("Which organisations take part?", [make_hit(chunk)], scorer, "en").answer
    assert answer.splitlines()[1].startswith("Het project betrekt organisaties")
    made = make_chunk("Het budget is vastgesteld in mei. In 2025 is de eerste gids ontwikkeld.")
    answer = compose("When was it developed?", [make_hit(made)], Scorer.from_chunks([made]), "en").answer
    assert answer.splitlines()[1].startswith("In 2025 is de eerste gids ontwikkeld")  # the glossary's word


def test_coverage_counts_compounds_either_way() -> None:
    scorer = Scorer.from_chunks([PORTAL])
    assert scorer.coverage(["nieuwsbriefredactie"], PORTAL.text) == 1.0
    assert scorer.coverage(["appeltaart"], PORTAL.text) == 0.0


def test_a_synonym_covers_the_question_word() -> None:
    scorer = Scorer.from_chunks([PORTAL])
    assert scorer.coverage(tokenize(["vroeger"])[0], "(voorheen Platform Eer en Vrijheid)") == 1.0
    assert scorer.coverage(tokenize(["betaalt"])[0], "Gefinancierd door het ministerie van OCW.") == 1.0
    assert scorer.coverage(tokenize(["vroeger"])[0], "Het platform van nu.") == 0.0


def test_a_present_tense_matches_its_participle() -> None:
    scorer = Scorer.from_chunks([PORTAL])
    assert scorer.coverage(["houdt"], "De sessies worden gehouden door AWVN.") == 1.0
    assert scorer.coverage(["houdt"], "De sessies worden georganiseerd.") == 0.0


def test_an_unknown_compound_stands_for_its_known_head() -> None:
    scorer = Scorer.from_chunks([make_chunk("Het rapport verschijnt in december.")])
    assert scorer.head("eindrapport") == "rapport"
    assert scorer.head("rapport") == "rapport"
    assert scorer.head("appeltaart") == "appeltaart"


def catalogue() -> Catalogue:
    titles = [
        (3, "Polarisatie begrijpen en aanpakken"),
        (9, "Asielzoekers en statushouders sneller aan het werk"),
        (11, "Databases preventie van polarisatie en radicalisering"),
    ]
    chunks = [
        make_chunk(
            f"In dit project werk je aan {title.lower()}. Het eindrapport volgt in december.",
            section=("Bijlage", f"Project {n}. {title}", "6. Resultaten"),
            project=n,
        )
        for n, title in titles
    ]
    return Catalogue.from_chunks(chunks)


def test_a_title_word_every_project_uses_names_none() -> None:
    cat = catalogue()
    assert "werk" not in cat.aliases[9]
    assert cat.named_projects("Hoe werkt de aanpak?") == []
    assert cat.named_projects("asielzoekers") == [9]


def test_a_project_named_by_its_topic_includes_those_whose_stated_aim_it_is() -> None:
    def described(n: int, title: str, aim: str) -> Chunk:
        heading = f"Project {n}. {title}"
        return make_chunk(
            f"{heading}\n{aim} Verder werken we samen met gemeenten.",
            section=("Onderdeel A", heading),
            project=n,
        )

    cat = Catalogue.from_chunks(
        [
            described(1, "Emancipatie en zelfbeschikking", "Het doel is de zelfbeschikking van jongeren."),
            described(2, "Jongeren en veerkracht", "Dit project richt zich op jongeren."),
            described(3, "Polarisatie begrijpen", "We ontwikkelen strategieën tegen polarisatie."),
            described(11, "Databases polarisatie en racisme", "We verbeteren de databases."),
        ]
    )
    assert cat.named_projects("Wat is het budget van het project over jongeren?") == [1, 2]
    assert cat.named_projects("Wat levert het jongerenproject op?") == [1, 2]
    assert cat.named_projects("What does the youth project deliver?") == [1, 2]  # English: topic first
    assert cat.named_projects("Wat levert het polarisatieproject op?") == [3]
    assert cat.named_projects("Hoe ervaren jongeren de veerkracht?") == [2]  # no project meant by topic
    assert cat.named_projects("het project over gemeenten") == []  # past the aim's first sentence
    assert cat.named_projects("Wat kost het project over polarisatie?") == [3, 11]  # both titles say it
    assert cat.named_projects("Met wie werkt het jongerenproject over veerkracht samen?") == [2]
    assert cat.named_projects("Wat kost het project over strategieën tegen polarisatie?") == [3]  # all words
    assert cat.named_projects("Welke projecten gaan over polarisatie?", listing=True) == [3, 11]


def test_a_title_after_a_project_number_is_no_question_word() -> None:
    cat = catalogue()
    assert cat.without_titles("Wat is duurder: project 3 polarisatie begrijpen of project 9?") == (
        "Wat is duurder: project 3 of project 9?"
    )
    assert (
        cat.without_titles("Vergelijk de aanpak van project 3 en 11")
        == "Vergelijk de aanpak van project 3 en 11"
    )


def test_a_word_every_project_uses_names_no_project_by_being_part_of_a_title() -> None:
    titles = [(13, "Actieonderzoek pabo's"), (7, "Gelijke kansen"), (9, "Sneller aan het werk")]
    cat = Catalogue.from_chunks(
        [
            make_chunk(
                f"Het onderzoek van dit project: {title}.",
                section=("Bijlage", f"Project {n}. {title}"),
                project=n,
            )
            for n, title in titles
        ]
    )
    assert cat.named_projects("Welke fases heeft het onderzoek?") == []  # every plan has "onderzoek"
    assert cat.named_projects("Wat kost het actieonderzoek?") == [13]


def test_a_kind_of_document_names_no_project_by_being_part_of_its_title() -> None:
    chunks = [
        make_chunk(
            "Het kennisdossier groeit.",
            section=("Bijlage", "Project 12. Kennisdossier Sinti en Roma"),
            project=12,
        ),
        make_chunk(
            "Een wat werkt dossier.", section=("Bijlage", "Project 3. Polarisatie aanpakken"), project=3
        ),
    ]
    cat = Catalogue.from_chunks(chunks)
    assert cat.named_projects("Wat komt er in het wat werkt dossier?") == []
    assert cat.named_projects("Wat kost het kennisdossier?") == [12]


def test_clarify_on_an_unresolved_project_and_a_shared_topic_only_when_a_project_is_meant() -> None:
    cat = catalogue()
    chunks = [make_chunk("Het eindrapport volgt in december.", project=n) for n in (3, 11)]
    hits = [make_hit(c, rank) for rank, c in enumerate(chunks, start=1)]
    scorer = Scorer.from_chunks(chunks)
    unresolved = clarification_for(
        "Met wie werkt KIS samen in het project?", Scope(), cat, hits, scorer, "nl"
    )
    assert unresolved is not None and unresolved.question == "Welk project bedoelt u?"
    shared = clarification_for("Wat doet het project over polarisatie?", Scope(), cat, hits, scorer, "nl")
    assert shared is not None and [o.value for o in shared.options] == ["project=3", "project=11"]
    topic = "Hoeveel Nederlanders ervaren polarisatie volgens het SCP?"
    assert clarification_for(topic, Scope(), cat, hits, scorer, "nl") is None
    split = clarification_for("Wanneer is het eindrapport klaar?", Scope(), cat, hits, scorer, "nl")
    assert split is not None and {o.value for o in split.options} == {"project=3", "project=11"}
    elsewhere = make_chunk("Dit overzicht is bedoeld voor iedereen.", project=None)
    meant_scorer = Scorer.from_chunks([*chunks, elsewhere])
    meant = clarification_for("Voor wie is het eindrapport bedoeld?", Scope(), cat, hits, meant_scorer, "nl")
    assert meant is not None and len(meant.options) == 2  # "bedoeld" asks, it names nothing
    made = [make_chunk(f"Dit is gemaakt door team {n}.", project=None) for n in range(4)]
    made += [make_chunk(f"Een ander onderwerp nummer {n}.", project=None) for n in range(24)]
    common = clarification_for(
        "Welk eindrapport wordt er gemaakt?", Scope(), cat, hits, Scorer.from_chunks([*chunks, *made]), "nl"
    )
    assert common is not None and len(common.options) == 2  # "gemaakt" is in a tenth of the passages: no clue
    english = clarification_for("When is the report ready?", Scope(), cat, hits, scorer, "en")
    assert english is not None and english.question == "Which project do you mean?"  # by the glossary
    assert clarification_for("Who won the general election?", Scope(), cat, hits, scorer, "en") is None
    unrelated = [make_hit(make_chunk("Het congres is in 2027.", project=3))]  # what the meaning found
    english = clarification_for("When is the report ready?", Scope(), cat, unrelated, scorer, "en", hits)
    assert english is not None  # weighed on the passages its Dutch word "rapport" finds
    held = [make_chunk("Het project doet twintig interviews met professionals.", project=n) for n in (3, 11)]
    held_hits = [make_hit(c, rank) for rank, c in enumerate(held, start=1)]
    held_scorer = Scorer.from_chunks([*held, *chunks, make_chunk("Vorig jaar is een congres gehouden.")])
    happens = clarification_for(
        "Welke interviews worden er gehouden?", Scope(), cat, held_hits, held_scorer, "nl"
    )
    assert happens is not None  # "gehouden" says that it happens, not what is asked about
    reports = [make_chunk("Het rapport verschijnt in december.", project=n) for n in (3, 11)]
    report_hits = [make_hit(c, rank) for rank, c in enumerate(reports, start=1)]
    compound = clarification_for(
        "Wanneer is het eindrapport klaar?", Scope(), cat, report_hits, Scorer.from_chunks(reports), "nl"
    )
    assert compound is not None  # an "eindrapport" is a "rapport"; "klaar" asks when, not what
    english = clarification_for("When is the eindrapport ready?", Scope(), cat, hits, scorer, "en")
    assert english is None  # Dutch passages say nothing about how English words split


PLAN = (
    "5. Plan van aanpak\n\nDe typen activiteiten in 2026 in dit project zijn:\n\n"
    "1. (a) Deskresearch (literatuurstudie), (b) online analyse.\n2. Diepte interviews.\n"
    "3. Narratieven analyse.\n\nDe literatuurstudie richt zich op wetenschappelijke kennis."
)


def test_numbered_items_are_whole_spans_and_headings_are_left_out() -> None:
    chunk = make_chunk(PLAN, section=("Bijlage", "Project 5. Verlies", "5. Plan van aanpak"))
    texts = [s.text for s in spans(chunk)]
    assert "5. Plan van aanpak" not in texts
    assert "1. (a) Deskresearch (literatuurstudie), (b) online analyse." in texts


def test_a_full_stop_after_an_abbreviation_ends_no_sentence() -> None:
    chunk = make_chunk(
        "Het team werkt onder leiding van programmaleider dr. Marieke van Dalen. Zij werkt o.a. met "
        "gemeenten. De raad komt vier keer per jaar bijeen."
    )
    assert [s.text for s in spans(chunk)] == [
        "Het team werkt onder leiding van programmaleider dr. Marieke van Dalen.",
        "Zij werkt o.a. met gemeenten.",
        "De raad komt vier keer per jaar bijeen.",
    ]


def test_no_sentence_is_quoted_twice() -> None:
    contact = "Neem contact op met Jeroen Bakhuis, senior adviseur polarisatie, j.bakhuis@kis.nl."
    page = make_chunk(  # a page that repeats its contact block
        f"Vragen over deze kennisgids? {contact}\n\nVragen over deze kennisgids? {contact}",
        title="Kennisgids Polarisatie in de wijk",
        kind="kennisgids",
        section=("Kennisgids Polarisatie in de wijk", "Contact"),
    )
    scorer = Scorer.from_chunks([page, make_chunk("Iets anders over de wijk.")])
    question = "Wie is de contactpersoon voor de kennisgids Polarisatie in de wijk?"
    composed = compose(question, [make_hit(page)], scorer, "nl")
    assert "Jeroen Bakhuis" in composed.answer
    assert composed.answer.count("Vragen over deze kennisgids?") <= 1


def test_a_lead_sentence_brings_the_list_that_follows_it() -> None:
    chunk = make_chunk(PLAN, section=("Bijlage", "Project 5. Verlies", "5. Plan van aanpak"))
    composed = compose(
        "Welke typen activiteiten zijn er in 2026?", [make_hit(chunk)], Scorer.from_chunks([chunk]), "nl"
    )
    lines = composed.answer.splitlines()
    assert lines[0].startswith("De typen activiteiten in 2026 in dit project zijn:")
    assert [line[:2] for line in lines[1:]] == ["1.", "2.", "3."]
    assert "richt zich op" not in composed.answer


def test_a_list_goes_on_past_an_item_that_explains_itself_and_keeps_it_whole() -> None:
    chunk = make_chunk(
        "6. Resultaten\n\n- Een eindproduct met resultaten van de interviews. Dit levert inzicht op.\n"
        "- Een artikel op de website.\n- Een outline voor kwantitatief onderzoek in 2027.\n\n"
        "Daarna volgt meer.",
    )
    composed = compose("Wat zijn de resultaten?", [make_hit(chunk)], Scorer.from_chunks([chunk]), "nl")
    lines = composed.answer.splitlines()
    assert [line[:2] for line in lines] == ["- ", "- ", "- "]
    assert "outline" in lines[2] and "Daarna" not in composed.answer
    assert lines[0].startswith("- Een eindproduct met resultaten van de interviews. Dit levert inzicht op.")


NEWSLETTER = make_chunk(
    "De nieuwsbrief wordt goed gelezen. Met deze informatie gaan we een aantal dingen aanpassen. "
    "Zo gaan we:\n- De frequentie verhogen naar tweewekelijks.\n- We gaan de nieuwsbrief personaliseren.\n"
    "- Nieuwe abonnees welkom heten.\nWe blijven:\n- De bereikcijfers monitoren.",
    section=("Onderdeel D: Communicatie", "Nieuwsbrief"),
)


def test_an_open_question_one_bullet_answers_gets_the_short_list_with_its_lead_in() -> None:
    scorer = Scorer.from_chunks([NEWSLETTER])
    composed = compose("Hoe gaan we de nieuwsbrief veranderen?", [make_hit(NEWSLETTER)], scorer, "nl")
    lines = [line.removesuffix(" [1]") for line in composed.answer.splitlines()]
    assert "Met deze informatie gaan we een aantal dingen aanpassen." in lines  # the short lead's sentence
    assert lines.index("Zo gaan we:") + 1 == lines.index("- De frequentie verhogen naar tweewekelijks.")
    assert "- Nieuwe abonnees welkom heten." in lines
    assert "- De bereikcijfers monitoren." not in lines  # the next list has its own lead
    # a question for a number is answered by the item that holds one, not by every item
    counted = compose("Hoeveel keer per maand komt de nieuwsbrief?", [make_hit(NEWSLETTER)], scorer, "nl")
    assert "abonnees" not in counted.answer


def guide(title: str, text: str) -> Chunk:
    return make_chunk(
        text,
        doc_id=title.lower(),
        title=title,
        kind="kennisgids",
        project=None,
        section=(title, "Oplossingen"),
    )


GUIDES = [
    guide(
        "Kennisgids Racisme",
        "Oplossingsrichtingen: organisaties toetsen hun processen op ongelijke uitkomsten.",
    ),
    guide("Kennisgids Polarisatie", "Oplossingsrichtingen: richt je op het stille midden."),
]


def test_a_question_several_guides_answer_differently_asks_which_guide() -> None:
    cat = catalogue()
    hits = [make_hit(c, rank) for rank, c in enumerate(GUIDES, start=1)]
    scorer = Scorer.from_chunks(GUIDES)
    asked = clarification_for("Wat zijn de oplossingsrichtingen?", Scope(), cat, hits, scorer, "nl")
    assert asked is not None and asked.question == "Over welke kennisgids gaat het?"
    assert [o.label for o in asked.options] == ["Kennisgids Racisme", "Kennisgids Polarisatie"]
    assert Scope.from_value(asked.options[1].value) == Scope(topic="Kennisgids Polarisatie")
    both = Scope(project=3, topic="Kennisgids Werk & Inkomen")
    assert Scope.from_value(both.to_value()) == both
    named = "Wat zijn de oplossingsrichtingen bij polarisatie?"
    assert clarification_for(named, Scope(), cat, hits, scorer, "nl") is None  # it says which guide
    chosen = Scope(topic="Kennisgids Racisme")
    assert clarification_for("Wat zijn de oplossingsrichtingen?", chosen, cat, hits, scorer, "nl") is None
    plan = [*hits, make_hit(make_chunk("Oplossingsrichtingen staan in het werkplan.", project=None), 3)]
    assert clarification_for("Wat zijn de oplossingsrichtingen?", Scope(), cat, plan, scorer, "nl") is None


def test_a_chosen_guide_leads_and_an_answer_from_one_guide_is_the_conversation_topic() -> None:
    hits = [make_hit(c, rank) for rank, c in enumerate(GUIDES, start=1)]
    assert on_topic(hits, "Kennisgids Polarisatie")[0].chunk.title == "Kennisgids Polarisatie"
    assert on_topic(hits, None) == hits
    assert scope_of([GUIDES[0]]) == Scope(topic="Kennisgids Racisme")
    assert scope_of(GUIDES) == Scope(topic=GUIDES[0].title)  # the page the answer opens with
    assert scope_of([make_chunk("x", project=3), make_chunk("y", project=3)]) == Scope(project=3)
    assert scope_of([make_chunk("x", project=3), GUIDES[0]]) == Scope()
    mostly = [make_chunk("x", project=3), make_chunk("y", project=3), make_chunk("z", project=5)]
    assert scope_of(mostly) == Scope(project=3)  # what it quotes first and most
    assert scope_of(mostly[1:]) == Scope()  # about none of them in particular: "which one?" follows
    part = [make_chunk("x", project=None, onderdeel="D"), make_chunk("y", project=None, onderdeel="D")]
    assert scope_of(part) == Scope(onderdeel="D")  # "en hoeveel geld gaat daarnaartoe?" is about D
    state = ConversationState.from_dict({"scope": {"topic": "Kennisgids Racisme"}})
    follow = rewrite("Welke wetsartikelen beschermen daartegen?", None, state, catalogue())
    assert follow.scope == Scope(topic="Kennisgids Racisme")
    # a page's author or date, asked with a pronoun or a demonstrative, is asked of that page
    for question in ("Wie hebben het geschreven?", "wie schreef dat bericht?"):
        assert rewrite(question, None, state, catalogue()).scope == Scope(topic="Kennisgids Racisme")
    assert rewrite("Wie schreef het rapport over discriminatie?", None, state, catalogue()).scope == Scope()


def test_a_question_that_points_back_keeps_the_project_in_focus() -> None:
    state = ConversationState.from_dict({"scope": {"project": 11}, "question": "Waar gaat project 11 over?"})
    for question in (
        "wat kost het?",
        "Wie voert het uit?",
        "hoeveel uur besteedt Movisie eraan?",
        "and its budget?",
    ):
        assert rewrite(question, None, state, catalogue()).scope == Scope(project=11), question
    for question in ("Wat is het?", "Wat is polarisatie?", "Hoe werkt het programma van KIS?"):
        own = "het?" in question  # "het" ending the question points back; elsewhere it is an article
        assert (rewrite(question, None, state, catalogue()).scope == Scope(project=11)) is own, question


def test_a_which_question_about_a_hyphenated_noun_is_composed() -> None:
    chunk = make_chunk("KIS biedt twee e-learnings aan: over polarisatie en over discriminatie op het werk.")
    composed = compose(
        "Welke e-learning biedt KIS aan?", [make_hit(chunk)], Scorer.from_chunks([chunk]), "nl"
    )
    assert "e-learnings" in composed.answer


def test_not_found_points_to_sections_by_their_last_two_headings_each_heading_once() -> None:
    project = ("Bijlage", "Project 12. Kennisdossier Sinti en Roma")
    hits = [
        make_hit(make_chunk("a", section=(*project, "Planning"))),
        make_hit(make_chunk("b", section=("Thema overstijgend", "Project 12. Kennisdossier Sinti en Roma"))),
        make_hit(make_chunk("c", section=("Kennisgids Racisme", "Wat kun je doen?"))),
    ]
    reply = not_found_reply(hits, "nl", ())
    assert reply.status == "not_found"
    assert reply.answer.endswith(
        "Wel vind ik iets over: Project 12. Kennisdossier Sinti en Roma › Planning; "
        "Kennisgids Racisme › Wat kun je doen?."
    )


def test_a_sentence_broken_over_a_line_is_one_span_and_a_cut_piece_is_marked() -> None:
    chunk = make_chunk(
        "We werken samen met het ministerie BZK (https://\nmaatschappelijkeonrust.nl) en de VU.\n\n"
        "dit thema zijn verschenen, zoals het onderzoek Bezorgde Nederlanders.\n\n"
        "Kennis wordt vertaald naar de praktijk en praktijkerva-"
    )
    texts = [s.text for s in spans(chunk)]
    assert (
        texts[0] == "We werken samen met het ministerie BZK (https://\nmaatschappelijkeonrust.nl) en de VU."
    )
    answer = compose(
        "Welke onderzoeken zijn verschenen?", [make_hit(chunk)], Scorer.from_chunks([chunk]), "nl"
    )
    assert answer.answer.startswith("… dit thema zijn verschenen")
    assert quote("Kennis wordt vertaald naar de praktijk en praktijkerva-") == (
        "Kennis wordt vertaald naar de praktijk en praktijkerva…"
    )


def test_a_sentence_that_leans_on_the_one_before_brings_it_and_a_lead_needs_its_list() -> None:
    chunk = make_chunk(
        "Het project onderzoekt primaire preventie van radicalisering. Daarbij richten we ons op "
        "interventies voor jongeren in de wijk.\n\nDe interventies zijn hieronder weergegeven:"
    )
    composed = compose(
        "Op welke interventies richt het project zich?", [make_hit(chunk)], Scorer.from_chunks([chunk]), "nl"
    )
    assert composed.answer.startswith(
        "Het project onderzoekt primaire preventie van radicalisering. [1] Daarbij"
    )
    assert "hieronder weergegeven" not in composed.answer


def test_no_asking_back_for_a_definition_a_which_question_or_an_item_named_in_full() -> None:
    cat = catalogue()
    chunks = [make_chunk("Het eindrapport volgt in december.", project=n) for n in (3, 11)]
    hits = [make_hit(c, rank) for rank, c in enumerate(chunks, start=1)]
    scorer = Scorer.from_chunks(chunks)
    assert (
        clarification_for("Wanneer is het eindrapport klaar?", Scope(), cat, hits, scorer, "nl") is not None
    )
    for clear in (
        "Wat is een eindrapport?",  # what a term is does not differ per project
        "Welke projecten hebben een eindrapport?",  # asks which: answered with the list
        "Wanneer is het eindrapport van Databases preventie van polarisatie en radicalisering klaar?",
    ):
        assert clarification_for(clear, Scope(), cat, hits, scorer, "nl") is None, clear


def test_which_page_is_asked_only_of_a_definite_thing_and_never_of_a_page_named() -> None:
    cat = catalogue()
    pages = [
        guide(
            "Kennisgids Lokale aanpak racisme",
            "Melden kan bij de antidiscriminatievoorziening in je gemeente.",
        ),
        guide("Kennisgids Polarisatie", "Melden kan bij de antidiscriminatievoorziening of de politie."),
    ]
    hits = [make_hit(c, rank) for rank, c in enumerate(pages, start=1)]
    scorer = Scorer.from_chunks(pages)
    assert clarification_for("Waar kan ik melden?", Scope(), cat, hits, scorer, "nl") is None  # one answer
    asked = clarification_for("Waar staat de antidiscriminatievoorziening?", Scope(), cat, hits, scorer, "nl")
    assert asked is not None and len(asked.options) == 2
    named = "Wie zit er in het project Lokale aanpak racisme?"
    assert clarification_for(named, Scope(), cat, hits, scorer, "nl") is None


def test_a_list_under_a_heading_that_names_what_is_asked_answers_a_which_question() -> None:
    title = "Institutioneel racisme herkennen en aanpakken"
    summary = make_chunk(
        "Vijf mechanismen van institutioneel racisme en een scan om de eigen organisatie door te lichten.",
        title=title,
        section=(title,),
    )
    listing = make_chunk(
        "In de onderzochte organisaties kwamen ze steeds terug:\n\n- Risicoprofilering op postcode.\n"
        "- Informele werving via het eigen netwerk.\n- Gebrekkige klachtafhandeling.",
        title=title,
        section=(title, "Vijf mechanismen"),
    )
    hits = [make_hit(summary, 1), make_hit(listing, 2)]
    question = "Welke mechanismen van institutioneel racisme zijn er?"
    composed = compose(question, hits, Scorer.from_chunks([summary, listing]), "nl")
    assert "Risicoprofilering" in composed.answer and "Klachtafhandeling".lower() in composed.answer.lower()


def test_who_sits_on_a_board_is_answered_by_its_members_list() -> None:
    chunk = make_chunk(
        "De raad van advies bestaat uit gezaghebbende personen die met ons meedenken over de raad. "
        "De raad van advies bevordert de kwaliteit van het werk. "
        "De leden van de raad van advies zijn hieronder weergegeven:\n\n"
        "- Naïma Azough (voorzitter)\n- Rinda den Besten\n- Semih Eski"
    )
    answer = compose(
        "Wie zitten er in de raad van advies?", [make_hit(chunk)], Scorer.from_chunks([chunk]), "nl"
    )
    assert all(name in answer.answer for name in ("Naïma Azough", "Rinda den Besten", "Semih Eski"))


def test_a_pages_date_line_is_no_answer_sentence() -> None:
    chunk = make_chunk(
        "Interview · 10 februari 2026\nBijgewerkt op 5 november 2025\n"
        "Op 5 november 2025 publiceerde KIS het vernieuwde dossier met 40 gesprekken."
    )
    assert [s.text for s in spans(chunk)] == [
        "Op 5 november 2025 publiceerde KIS het vernieuwde dossier met 40 gesprekken."
    ]
