"""Phrases and split verbs read as the word the sources use (rag/language/idioms.toml), and the
section path as the place of what a sentence need not say."""

from __future__ import annotations

from rag.answer.compose import Scorer, compose
from rag.language.idioms import read_idioms
from tests.factories import make_chunk, make_hit


def test_a_split_verb_is_read_as_the_sources_word_with_the_words_between_its_parts_kept() -> None:
    assert (
        read_idioms("Welke gemeenten doen mee aan het project?")
        == "Welke gemeenten deelnemen aan het project?"
    )
    assert read_idioms("Hoe vaak komt de werkgroep van project 14 bij elkaar?") == (
        "Hoe vaak de werkgroep van project 14 bijeenkomsten?"
    )
    assert read_idioms("Wat levert het project in 2026 op?") == "Wat het project in 2026 resultaten?"


def test_a_question_without_such_a_phrase_is_left_as_it_is() -> None:
    for question in ("Wat doet KIS aan polarisatie?", "Wie is de projectleider?", "Ik doe mee."):
        assert read_idioms(question) == question


def test_the_sentence_that_says_it_in_one_word_answers_first() -> None:
    page = make_chunk(
        "De werkgroep adviseert over de aanpak.\n\nDe werkgroep heeft vijf bijeenkomsten.",
        project=None,
        section=("Projecten", "Samenwerking"),
    )
    scorer = Scorer.from_chunks([page, make_chunk("Gemeenten en KIS.", project=None, section=("Over KIS",))])
    # read as "bijeenkomsten"; as its own words, "komt" and "elkaar" match neither sentence and the
    # first one would be quoted first
    answer = compose("Hoe vaak komt de werkgroep bij elkaar?", [make_hit(page)], scorer, "nl").answer
    assert answer.startswith("De werkgroep heeft vijf bijeenkomsten")


def test_what_the_page_title_says_a_sentence_need_not_restate() -> None:
    """The section path carries the subject: under the project's own title, the line that answers
    outranks the sentence that restates the title."""
    text = (
        "Zes gemeenten ontwikkelen met KIS een lokale aanpak van racisme.\n\n"
        "Deelnemende gemeenten: Rotterdam, Almere en Venlo."
    )
    titled = make_chunk(text, project=None, section=("Lokale aanpak racisme", "Project in het kort"))
    untitled = make_chunk(text, project=None, section=("Projecten", "Project in het kort"))
    scorer = Scorer.from_chunks(
        [titled, make_chunk("Gemeenten en KIS.", project=None, section=("Over KIS",))]
    )
    asked = "Welke gemeenten deelnemen aan Lokale aanpak racisme?"
    assert compose(asked, [make_hit(titled)], scorer, "nl").answer.startswith("Deelnemende")
    assert compose(asked, [make_hit(untitled)], scorer, "nl").answer.startswith("Zes gemeenten")
