"""What a page declares about itself (authors, dates, contact people), and questions that ask for it."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from ingest.parse.page_meta import PageMeta, page_meta
from rag.answer.replies import page_fact_sentences
from rag.schema import Contact
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
        ("Wie is de contactpersoon voor het project?", ("contacts",)),
        ("Bij wie kan ik terecht over polarisatie?", ("contacts",)),
        ("Met wie kan ik contact opnemen over de kennisgids?", ("contacts",)),
        ("Who can I contact about the guide?", ("contacts",)),
        (
            "Wie schreef het rapport, wanneer, en wie is het aanspreekpunt?",
            ("authors", "published", "contacts"),
        ),
        ("Binnen hoeveel dagen neemt de gemeente contact op?", ()),  # no one to contact asked for
        ("Hoe houden zij contact met elkaar?", ()),
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


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Bij wie kan ik terecht met vragen over polarisatie?", ["met", "over", "polarisatie"]),
        (
            "Who is the contact person for the guide, and what's the email?",
            ["for", "the", "guide", "and", "what's", "the"],
        ),
        ("contactpersoon lokale aanpak + mailadres?", ["lokale", "aanpak"]),
    ],
)
def test_what_a_contact_question_is_about_is_what_remains_without_the_contact_words(
    question: str, subject: list[str]
) -> None:
    assert re.findall(r"[\w']+", PageFacts.subject(question)) == subject


def contact_page() -> tuple[PageFacts, list[Contact]]:
    people = [
        Contact("Anna de Wit", "adviseur wonen", "a.dewit@example.nl"),
        Contact("Bram Kok", "onderzoeker", "b.kok@example.nl", "030 123 45 67"),
    ]
    byline = make_chunk("Door Anna de Wit\nGepubliceerd op 2 juni 2024", doc_id="p", title="Wonen", start=0)
    block = make_chunk(
        "Meer weten? Neem contact op met Anna de Wit, adviseur wonen, a.dewit@example.nl of Bram Kok, "
        "onderzoeker, b.kok@example.nl, 030 123 45 67.",
        doc_id="p",
        title="Wonen",
        section=("Wonen", "Contact"),
        start=100,
    )
    documents = [
        {"id": "p", "authors": ["Anna de Wit"], "contacts": [vars(c) for c in people]},
        {"id": "q", "authors": ["Bram Kok"]},
    ]
    return PageFacts(documents, [byline, block]), people


def test_contact_people_are_quoted_from_the_contact_block_not_the_byline() -> None:
    facts, people = contact_page()
    (shown,) = facts.shown("p", ("contacts",))
    assert shown.contacts == tuple(people)
    assert shown.chunk.section[-1] == "Contact"  # "Door Anna de Wit" names her, without her address
    assert shown.chunk.text[shown.start : shown.end].startswith("Meer weten? Neem contact op met Anna de Wit")
    assert facts.has("p", ("contacts",)) and not facts.has("q", ("contacts",))
    assert facts.shown("q", ("contacts",)) == []  # no contact block: no one is named


def test_the_contact_sentence_names_each_person_with_function_address_and_number() -> None:
    facts, _ = contact_page()
    shown = facts.shown("p", ("authors", "contacts"))
    assert page_fact_sentences("Wonen", shown, "nl") == [
        "‘Wonen’ is geschreven door Anna de Wit.",
        "De contactpersonen zijn Anna de Wit (adviseur wonen, a.dewit@example.nl) en "
        "Bram Kok (onderzoeker, b.kok@example.nl, 030 123 45 67).",
    ]
    (contacts,) = facts.shown("p", ("contacts",))
    one = replace(contacts, contacts=contacts.contacts[:1])
    assert page_fact_sentences("Wonen", [one], "en") == [
        "The contact person for ‘Wonen’ is Anna de Wit (adviseur wonen, a.dewit@example.nl)."
    ]
    other = replace(contacts, contacts=contacts.contacts[1:])  # a person in another passage
    assert page_fact_sentences("Wonen", [one, other], "en")[1] == (
        "Bram Kok (onderzoeker, b.kok@example.nl, 030 123 45 67) is also a contact person."
    )
