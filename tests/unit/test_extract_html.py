"""HTML extraction: main content only, heading paths, lists, tables, metadata and links."""

from __future__ import annotations

import pytest

from ingest.parse.html import HtmlPage, extract_html
from rag.errors import SourceError

URL = "https://www.kis.nl/kennisgidsen/polarisatie"

PAGE = """<!DOCTYPE html><html lang="nl"><head>
<title>Kennisgids Polarisatie | Kennisplatform Inclusief Samenleven</title>
<meta property="article:published_time" content="2023-06-12T10:00:00+02:00">
<meta name="robots" content="index, follow">
<link rel="canonical" href="/kennisgidsen/polarisatie/">
<script>var tracking = "Wij volgen je";</script>
</head><body>
<div class="cookie-notice">Wij gebruiken cookies. <button>Akkoord</button></div>
<header><nav><a href="/">Home</a> <a href="/nieuws">Nieuws</a></nav></header>
<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="/kennisgidsen">Kennisgidsen</a></li><li>Polarisatie</li></ol></nav>
<main>
  <header><h1>Kennisgids Polarisatie</h1><p>Inleiding bij de gids.</p></header>
  <h2>Wat is polarisatie?</h2>
  <p>Polarisatie is <em>wij-zij</em>-denken.<br>Het gesprek verstomt.</p>
  <h3>Begrippen</h3>
  <dl><dt>Spanningen</dt><dd>Concrete incidenten in een wijk.</dd></dl>
  <h4>Rollen</h4>
  <ol><li>Aanjagers<ul><li>zij voeden het wij-zij-denken</li></ul></li><li>Het stille midden</li></ol>
  <h5>Klein kopje</h5>
  <h2>Wet- en regelgeving</h2>
  <table><caption>Regels</caption>
    <thead><tr><th>Regeling</th><th>Wat</th></tr></thead>
    <tbody><tr><td>Artikel 1 Grondwet</td><td>Gelijke behandeling | verbod op discriminatie</td></tr>
    <tr><td>AWGB</td></tr></tbody>
  </table>
  <div class="share-buttons">Deel deze pagina: <a href="https://www.linkedin.com/share">LinkedIn</a></div>
  <aside><h3>Lees ook</h3><a href="/media/gids.pdf">De gids als PDF</a></aside>
  <div hidden>Verborgen tekst</div>
  <div style="display: none">Ook verborgen</div>
  Losse tekst in main.
  <p><a href="#top">Naar boven</a> <a href="mailto:info@kis.nl">Mail</a> <a href="tel:0301234567">Bel</a></p>
</main>
<footer><p>Postbus 19129, 3501 DC Utrecht</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


@pytest.fixture(scope="module")
def page() -> HtmlPage:
    return extract_html(PAGE.encode(), URL)


def _blocks(page: HtmlPage) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(b.kind, page.text[b.start : b.end], b.section) for b in page.blocks]


def test_only_main_content_is_kept(page: HtmlPage) -> None:
    for chrome in (
        "cookies",
        "Akkoord",
        "Nieuws",
        "Home",
        "Postbus",
        "Privacy",
        "Deel deze pagina",
        "Lees ook",
        "Verborgen",
        "verborgen",
        "tracking",
    ):
        assert chrome not in page.text


def test_headings_make_the_section_path(page: HtmlPage) -> None:
    blocks = _blocks(page)
    root = ("Kennisgids Polarisatie",)
    assert blocks[0] == ("heading", "Kennisgids Polarisatie", root)
    assert ("paragraph", "Inleiding bij de gids.", root) in blocks
    assert (
        "paragraph",
        "Polarisatie is wij-zij-denken. Het gesprek verstomt.",
        (*root, "Wat is polarisatie?"),
    ) in blocks
    rollen = (*root, "Wat is polarisatie?", "Begrippen", "Rollen")
    assert ("paragraph", "Klein kopje", rollen) in blocks  # h5 is text, not a section
    assert ("paragraph", "Losse tekst in main.", (*root, "Wet- en regelgeving")) in blocks


def test_definitions_and_nested_lists(page: HtmlPage) -> None:
    blocks = _blocks(page)
    assert (
        "paragraph",
        "Spanningen: Concrete incidenten in een wijk.",
        ("Kennisgids Polarisatie", "Wat is polarisatie?", "Begrippen"),
    ) in blocks
    assert "- Aanjagers\n  - zij voeden het wij-zij-denken\n- Het stille midden" in page.text


def test_table_as_markdown_rows(page: HtmlPage) -> None:
    table = next(text for kind, text, _ in _blocks(page) if kind == "table")
    assert table.split("\n") == [
        "| Regeling | Wat |",
        "| --- | --- |",
        "| Artikel 1 Grondwet | Gelijke behandeling \\| verbod op discriminatie |",
        "| AWGB |  |",
    ]
    assert "Regels\n\n| Regeling" in page.text  # the caption comes first


def test_offsets_cover_the_text(page: HtmlPage) -> None:
    for previous, block in zip(page.blocks, page.blocks[1:], strict=False):
        assert previous.end < block.start
        assert page.text[previous.end : block.start] in ("\n", "\n\n")
    assert page.text == page.text.strip()


def test_metadata(page: HtmlPage) -> None:
    assert page.title == "Kennisgids Polarisatie"
    assert page.breadcrumbs == ("Home", "Kennisgidsen", "Polarisatie")
    assert page.year == 2023
    assert page.canonical == "https://www.kis.nl/kennisgidsen/polarisatie/"
    assert not page.noindex and not page.nofollow


def test_links_for_discovery_and_related(page: HtmlPage) -> None:
    urls = {link.url for link in page.links}
    assert {"https://www.kis.nl/", "https://www.kis.nl/nieuws", "https://www.kis.nl/media/gids.pdf"} <= urls
    assert URL in urls  # "#top" without its fragment
    assert not any(u.startswith(("mailto:", "tel:")) for u in urls)
    related = {link.url: link.text for link in page.related}
    assert related["https://www.kis.nl/media/gids.pdf"] == "De gids als PDF"
    assert "https://www.kis.nl/nieuws" not in related and "https://www.linkedin.com/share" not in related


def test_page_without_main_falls_back_to_body_without_chrome() -> None:
    html = """<html><head><title>Dossier Sinti en Roma - KIS</title><base href="https://www.kis.nl/dossiers/">
    </head><body><header>Kop van de site</header><div><p>Tekst over Sinti en Roma.</p>
    <a href="sinti-en-roma/bronnen">Bronnen</a></div><footer>Voet van de site</footer></body></html>"""
    page = extract_html(html.encode(), "https://www.kis.nl/x")
    assert page.text == "Tekst over Sinti en Roma.\n\nBronnen"
    assert page.title == "Dossier Sinti en Roma"  # <title> without the site name
    assert page.links[0].url == "https://www.kis.nl/dossiers/sinti-en-roma/bronnen"
    assert page.year is None and page.canonical is None


def test_robots_meta_and_time_element() -> None:
    html = """<html><head><meta name="ROBOTS" content="noindex, nofollow">
    <meta property="og:title" content="Titel"></head>
    <body><main><time datetime="2019-03-01">1 maart</time><p>Inhoud</p></main></body></html>"""
    page = extract_html(html.encode(), URL)
    assert page.noindex and page.nofollow and page.year == 2019 and page.title == "Titel"


def test_malformed_nesting_is_read_as_a_browser_would_show_it() -> None:
    html = """<main><h1>Gids<h2>Deel één<p>Eerste<p>Tweede<ul><li>een<li>twee</ul>
    <table><tr><td>a<td>b<tr><td>c<td>d</table></main>"""
    page = extract_html(html.encode(), URL)
    assert page.text.split("\n\n") == [
        "Gids",
        "Deel één",
        "Eerste",
        "Tweede",
        "- een\n- twee",
        "| a | b |\n| --- | --- |\n| c | d |",
    ]
    assert page.blocks[-1].section == ("Gids", "Deel één")


def test_declared_charset_is_used() -> None:
    page = extract_html(
        "<main><p>Scholen en ouders: één aanpak, ruimte voor geloof.</p></main>".encode("cp1252"),
        URL,
        "windows-1252",
    )
    assert page.text == "Scholen en ouders: één aanpak, ruimte voor geloof."


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"<html><body><main><script>app()</script></main></body></html>",
        b"<html><body><nav>Alleen menu</nav></body></html>",
    ],
)
def test_page_without_readable_content_is_a_source_error(html: bytes) -> None:
    with pytest.raises(SourceError, match="geen leesbare inhoud"):
        extract_html(html, URL)


KNOWLEDGE_PAGE = """<html lang="nl"><body><main>
<h1>Vraag en antwoord: discriminatie melden</h1>
<p>Antwoorden op de vragen die wij het vaakst krijgen.</p>
<section><h2>Veelgestelde vragen</h2>
<details><summary>Waar kan ik discriminatie melden?</summary>
<p>Bij de antidiscriminatievoorziening.</p></details>
<details><summary>Kan ik anoniem melden?</summary><p>Ja, bij de meeste voorzieningen.</p><p>Dan wordt
de melding wel geregistreerd.</p></details>
</section>
<aside class="contact-block"><h2>Contact</h2><p>Neem contact op met Fatima El Ouali,
<a href="mailto:f.elouali@kis.nl">f.elouali@kis.nl</a>.</p></aside>
<div class="tags"><h2>Tags</h2><ul><li><a href="/thema/discriminatie">Discriminatie</a></li></ul></div>
<section class="related"><h2>Lees ook</h2><ul>
<li><a href="/artikel/a">Zo richt je een meldprocedure in</a></li>
<li><a href="/artikel/b">Meer meldingen bij gemeenten</a> (2024)</li></ul></section>
</main></body></html>"""


def test_a_folded_question_heads_its_answer_and_the_next_question_replaces_it() -> None:
    page = extract_html(KNOWLEDGE_PAGE.encode(), URL)
    blocks = _blocks(page)
    faq = ("Vraag en antwoord: discriminatie melden", "Veelgestelde vragen")
    assert (
        "paragraph",
        "Bij de antidiscriminatievoorziening.",
        (*faq, "Waar kan ik discriminatie melden?"),
    ) in blocks
    assert (
        "paragraph",
        "Dan wordt de melding wel geregistreerd.",
        (*faq, "Kan ik anoniem melden?"),
    ) in blocks


def test_blocks_of_links_are_navigation_and_a_contact_aside_is_content() -> None:
    page = extract_html(KNOWLEDGE_PAGE.encode(), URL)
    assert "Neem contact op met Fatima El Ouali, f.elouali@kis.nl." in page.text
    for navigation in ("Lees ook", "meldprocedure", "Tags", "Meer meldingen"):
        assert navigation not in page.text
    assert {link.url.rsplit("/", 1)[-1] for link in page.related} >= {"a", "b", "discriminatie"}


def test_a_page_of_links_only_has_no_blocks_but_keeps_its_links() -> None:
    overview = b"""<html><body><main><h1>Publicaties</h1><ul><li><a href="/publicatie/a">Rapport A</a></li>
    <li><a href="/publicatie/b">Rapport B</a></li></ul></main></body></html>"""
    page = extract_html(overview, URL)
    assert [b.kind for b in page.blocks] == ["heading"]
    assert len(page.links) == 2
