"""Whom a page names to contact about it, read from its contact block by the block's structure."""

from __future__ import annotations

from bs4 import BeautifulSoup

from ingest.parse.blocks import document_from_json, document_to_json
from ingest.parse.contacts import page_contacts
from ingest.parse.html import extract_html
from rag.schema import Contact, DocumentInfo, ParsedDocument


def contacts_of(body: str, head: str = "") -> tuple[Contact, ...]:
    html = f"<html><head>{head}</head><body><main>{body}</main></body></html>"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.main is not None
    return page_contacts(soup, soup.main)


def test_a_block_labelled_contact_gives_each_name_its_function_and_address() -> None:
    block = (
        '<aside class="contact-block"><h2>Contact</h2><p>Meer weten? Neem contact op met Anna de Wit, '
        'adviseur wonen (Stichting Voorbeeld), <a href="mailto:a.dewit@example.nl">a.dewit@example.nl</a> '
        'of dr. Bram Kok, onderzoeker, <a href="mailto:b.kok@example.nl?subject=Vraag">b.kok@example.nl</a>.'
        "</p></aside>"
    )
    assert contacts_of("<h1>Een project</h1><p>Over het project.</p>" + block) == (
        Contact("Anna de Wit", "adviseur wonen (Stichting Voorbeeld)", "a.dewit@example.nl"),
        Contact("dr. Bram Kok", "onderzoeker", "b.kok@example.nl"),
    )


def test_a_heading_that_says_contact_marks_what_follows_it_up_to_the_next_heading() -> None:
    body = (
        "<h1>Thema</h1><h2>Contactpersoon</h2>"
        '<p>Jan Jansen<br>Senior adviseur<br>E-mail: <a href="mailto:j.jansen@example.nl">stuur een mail</a>'
        '<br>Tel.: <a href="tel:+31301234567">030 123 45 67</a></p>'
        '<h2>Nieuwsbrief</h2><p>Meld je aan bij Piet Pieters, <a href="mailto:p@example.nl">p@example.nl</a>'
    )
    jan = Contact("Jan Jansen", "Senior adviseur", "j.jansen@example.nl", "030 123 45 67")
    assert contacts_of(body) == (jan,)


def test_addresses_written_out_belong_to_the_name_before_them_and_a_desk_is_no_one() -> None:
    body = (
        '<section id="contact"><h2>Contact</h2><p>Het secretariaat is bereikbaar via 030 123 45 67 of '
        "info@example.nl. Journalisten kunnen terecht bij Lies Bos, woordvoerder, via l.bos@example.nl "
        "of 06 12 34 56 78.</p></section>"
    )
    assert contacts_of(body) == (Contact("Lies Bos", "woordvoerder", "l.bos@example.nl", "06 12 34 56 78"),)


def test_a_name_linked_to_its_address_is_read_from_the_link() -> None:
    body = '<address>Vragen? Mail <a href="mailto:k.smit@example.nl">Karin Smit</a>.</address>'
    assert contacts_of(body) == (Contact("Karin Smit", email="k.smit@example.nl"),)


def test_schema_org_json_ld_and_microdata_and_hcard() -> None:
    linked = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "WebPage", '
        '"contactPoint": {"@type": "ContactPoint", "name": "Eva Mulder", "contactType": "projectleider", '
        '"email": "mailto:e.mulder@example.nl", "telephone": "+31 20 123 4567"}}</script>'
        '<script type="application/ld+json">{"@type": "Organization", "name": "Voorbeeld", '
        '"contactPoint": {"@type": "ContactPoint", "name": "Klantenservice Voorbeeld", '
        '"email": "info@example.nl"}}</script>'
    )
    card = (
        '<div class="contact"><div itemscope itemtype="https://schema.org/Person">'
        '<span itemprop="name">Omar Haddou</span> <span itemprop="jobTitle">beleidsadviseur</span> '
        '<a itemprop="email" href="mailto:o.haddou@example.nl">mail Omar</a></div>'
        '<p class="h-card"><span class="p-name">Sara Vos</span>, <span class="p-job-title">trainer</span>, '
        '<a class="u-email" href="mailto:s.vos@example.nl">s.vos@example.nl</a></p></div>'
    )
    assert contacts_of(card, linked) == (
        Contact("Eva Mulder", "projectleider", "e.mulder@example.nl", "+31 20 123 4567"),
        Contact("Omar Haddou", "beleidsadviseur", "o.haddou@example.nl"),
        Contact("Sara Vos", "trainer", "s.vos@example.nl"),
    )  # the organisation's contact point is the site's, not the page's


def test_without_a_contact_block_no_one_is_a_contact() -> None:
    body = (
        '<h1>Artikel</h1><p class="byline">Door Anna de Wit</p>'
        '<p>Aanmelden kan bij Bram Kok via <a href="mailto:b.kok@example.nl">b.kok@example.nl</a>.</p>'
        '<div itemscope itemtype="https://schema.org/Person"><span itemprop="name">Anna de Wit</span></div>'
        "<footer><h2>Contact</h2><p>Neem contact op met Lies Bos, l.bos@example.nl</p></footer>"
    )
    assert contacts_of(body) == ()  # a byline, a mail link in the text, an author card, the footer
    assert contacts_of('<aside class="contact"><p>Neem contact op met ons: info@example.nl</p></aside>') == ()


def test_a_contact_block_of_links_only_is_kept_as_text_and_its_people_as_contacts() -> None:
    html = (
        "<html><body><main><h1>Project</h1><p>Een project over samenwerken in de wijk.</p>"
        '<aside class="contact"><h2>Contact</h2><p><a href="mailto:k.smit@example.nl">Karin Smit</a><br>'
        '<a href="tel:0301234567">030 123 45 67</a></p></aside></main></body></html>'
    )
    page = extract_html(html.encode(), "https://example.nl/project")
    assert page.contacts == (Contact("Karin Smit", email="k.smit@example.nl", phone="030 123 45 67"),)
    assert "Karin Smit 030 123 45 67" in page.text


def test_contacts_survive_the_crawl_snapshot() -> None:
    contact = Contact("Anna de Wit", "adviseur", "a.dewit@example.nl")
    info = DocumentInfo("p", "Project", "artikel", "KIS", 2025, "https://example.nl/p", contacts=(contact,))
    doc = ParsedDocument(info, "Tekst", ())
    assert document_from_json(document_to_json(doc)) == doc
