"""A knowledge page named by its whole title is what a question and its follow-ups are about."""

from __future__ import annotations

from rag.structure.pages import PageTitles
from tests.factories import make_chunk


def pages() -> PageTitles:
    chunks = [
        make_chunk("x", title="Dossier antisemitisme en moslimhaat", kind="dossier"),
        make_chunk("x", title="Samenleven met nieuwkomers in de buurt", kind="publicatie"),
        make_chunk("x", title="Nieuwkomers in de buurt", kind="artikel"),
        make_chunk("x", title="Polarisatie", kind="artikel"),
        make_chunk("x", title="Werkplan 2026", kind="werkplan"),
    ]
    return PageTitles.from_chunks(chunks)


def test_a_page_is_named_by_its_whole_title_in_any_case() -> None:
    named = pages().named("Wat zien professionals volgens het Dossier Antisemitisme en moslimhaat?")
    assert named == "Dossier antisemitisme en moslimhaat"
    assert pages().named("Wat zegt het dossier over antisemitisme?") is None


def test_the_longest_title_a_question_names_wins() -> None:
    question = "Wat vond het onderzoek Samenleven met nieuwkomers in de buurt over veiligheid?"
    assert pages().named(question) == "Samenleven met nieuwkomers in de buurt"


def test_a_one_word_title_and_the_work_plan_are_no_page_a_question_names() -> None:
    assert pages().named("Wat doet KIS aan polarisatie volgens het werkplan 2026?") is None
