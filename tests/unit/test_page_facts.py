"""What a page declares about itself (authors, dates), and questions that ask for it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ingest.parse.page_meta import PageMeta, page_meta
from rag.structure.page_facts import PageFacts, long_date
from rag.structure.pages import PageTitles
from tests.factories import make_chunk


def meta_of(head: str, body: str = "<p>Tekst.</p>") -> PageMeta:
    soup = BeautifulSoup(f"<html><head>{head}</head><body><main>{body}</main></body></html>", "html.parser")
    return page_meta(soup, soup.main)


def test_json_ld_comes_first_with_every_author_and_both_dates() -> None:
    ld = (
        '<script type="application/ld+json">{"@graph": [{"@type": "Article", '
        '"author": [{"name": "Ruben Kroes"}, {"name": "Shanti Ramdin"}], '
        '"datePublished": "2026-01-27", "dateModified": "2026-02-12T10:00"}]}</script>'
    )
    meta = meta_of(ld + '<meta name="author" content="Iemand Anders">')
    assert meta == PageMeta(("Ruben Kroes", "Shanti Ramdin"), "2026-01-27", "2026-02-12")


def test_meta_tags_byline_and_time_stand_in_for_missing_json_ld() -> None:
    tags = '<meta name="author" content="Ruben Kroes en dr. Marieke van Dalen">'
    tags += '<meta property="article:published_time" content="2018-03-06T09:00:00+01:00">'
    assert meta_of(tags) == PageMeta(("Ruben Kroes", "dr. Marieke van Dalen"), "2018-03-06")
    byline = '<p class="byline">Door Sanne Visser</p><p>Op <time datetime="2016-06-02">2 juni 2016</time></p>'
    assert meta_of("", byline) == PageMeta(("Sanne Visser",), "2016-06-02")


def test_broken_json_ld_is_no_metadata_and_no_error() -> None:
    assert meta_of('<script type="application/ld+json">{"author": </script>') == PageMeta()


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("Wie schreef de reportage over Wezeveld?", ("authors",)),
        ("Who wrote Racisme op de woningmarkt?", ("authors",)),
        ("Wanneer verscheen het rapport?", ("published",)),
        ("Wie schreef het artikel en wanneer?", ("authors", "published")),
        ("Wanneer is het dossier voor het laatst bijgewerkt?", ("modified",)),
        ("Welke publicaties zijn in 2024 verschenen?", ()),  # a list, not a date asked
        ("Wat doet KIS tegen discriminatie?", ()),
    ],
)
def test_the_facts_of_a_page_a_question_asks_for(question: str, facts: tuple[str, ...]) -> None:
    assert PageFacts.asked(question) == facts


def test_a_fact_is_stated_only_with_the_line_of_the_page_that_shows_it() -> None:
    page = make_chunk(
        "Reportage\nGepubliceerd op 2 juni 2016\nDoor Sanne Visser\nToen bekend werd …", doc_id="p"
    )
    documents = [
        {"id": "p", "authors": ["Sanne Visser"], "published": "2016-06-02", "modified": "2020-01-01"}
    ]
    facts = PageFacts(documents, [page])
    shown = facts.shown("p", ("authors", "published", "modified"))
    assert [(s.fact, s.chunk.text[s.start : s.end]) for s in shown] == [
        ("authors", "Door Sanne Visser"),
        ("published", "Gepubliceerd op 2 juni 2016"),
    ]  # the update date is declared, but the page does not show it
    assert long_date("2016-06-02", "en") == "2 June 2016"


def test_a_page_is_named_by_its_whole_title_or_its_main_title() -> None:
    pages = PageTitles(["Wat werkt tegen discriminatie? Werkzame elementen van interventies", "Polarisatie"])
    question = "Welke is ouder: Wat werkt tegen discriminatie? of het dossier?"
    assert pages.all_named(question) == ["Wat werkt tegen discriminatie? Werkzame elementen van interventies"]
    assert pages.named("Wat zegt Polarisatie?") is None  # one word is a topic, not a page


@pytest.mark.parametrize(
    ("question", "order", "kind"),
    [
        ("Wat is de oudste publicatie?", "oldest", "publicatie"),
        ("Which is the newest article?", "newest", "artikel"),
        ("Welke is ouder, A of B?", "older", None),
        ("Wat is de eerste stap?", "oldest", None),  # no kind: the route leaves it to the text
    ],
)
def test_pages_ordered_by_date(question: str, order: str, kind: str | None) -> None:
    assert (PageFacts.order_asked(question), PageFacts.kind_asked(question)) == (order, kind)
