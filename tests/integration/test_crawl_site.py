"""One crawl of the whole fixture site, checked case by case against what the server saw."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.crawl.crawler import CrawlSummary, crawl_sync, load_documents, related_links
from rag.schema import ParsedDocument
from tests.fixture_site import Site, serve_site, site_config

CHROME = (
    "Wij gebruiken cookies",
    "Alle cookies accepteren",
    "Ga naar de inhoud",
    "Zoeken op kis.nl",
    "Nieuws en agenda",
    "Schrijf je in voor de nieuwsbrief",
    "Privacyverklaring",
    "Postbus 19129",
    "Deel deze pagina",
    "Volg ons op",
    "Pagina opgebouwd op",
    "Lees ook",
)


@dataclass
class Crawled:
    site: Site
    summary: CrawlSummary
    docs: list[ParsedDocument]
    state: Path

    def doc(self, path: str) -> ParsedDocument:
        return next(d for d in self.docs if d.info.origin == self.site.url(path))

    def row(self, path: str) -> tuple[str, str | None, str | None]:
        with sqlite3.connect(self.state) as db:
            row = db.execute(
                "SELECT outcome, reason, alias_of FROM urls WHERE url = ?", (self.site.url(path),)
            ).fetchone()
        assert row is not None, f"{path} staat niet in de crawlstatus"
        return row[0], row[1], row[2]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp("crawl-site")
    with serve_site() as site:
        site.registry.hang_seconds = 2.0
        summary = crawl_sync(site_config(site), tmp / "state.sqlite", tmp / "snap")
        yield Crawled(site, summary, load_documents(tmp / "state.sqlite", tmp / "snap"), tmp / "state.sqlite")


def test_summary_counts_every_case(crawled: Crawled) -> None:
    s = crawled.summary
    # 7 documents + the PDF + an overview page with text + 1 duplicate fetched; robots, type, binary,
    # 2× size, off-host redirect and an overview of links only skipped; 404, broken PDF, loop, empty
    # page, hang failed.
    assert (s.fetched, s.changed, s.unchanged, s.duplicates) == (10, 9, 0, 1)
    assert (s.skipped, s.failed, s.removed) == (7, 5, 0)
    assert not s.resumed


def test_current_documents_with_kinds_titles_and_years(crawled: Crawled) -> None:
    found = {
        d.info.origin.removeprefix(crawled.site.base): (d.info.kind, d.info.title, d.info.year)
        for d in crawled.docs
    }
    assert found == {
        "/kennisgidsen/polarisatie": ("kennisgids", "Kennisgids Polarisatie", 2023),
        "/kennisgidsen/discriminatie-op-de-arbeidsmarkt": (
            "kennisgids",
            "Kennisgids Discriminatie op de arbeidsmarkt",
            2024,
        ),
        "/kennisgidsen/moslimdiscriminatie": ("kennisgids", "Kennisgids Moslimdiscriminatie", 2022),
        "/kennisgidsen/racisme": ("kennisgids", "Kennisgids Racisme", 2024),
        "/kennisgidsen/gelijke-kansen-in-het-onderwijs": (
            "kennisgids",
            "Kennisgids Gelijke kansen in het onderwijs",
            None,
        ),
        "/dossiers/sinti-en-roma": ("dossier", "Kennisdossier Sinti en Roma", 2021),
        "/dossiers/wat-werkt-bij-polarisatie": ("dossier", "Wat werkt bij polarisatie?", 2023),
        "/media/publicaties/wat-werkt-bij-polarisatie.pdf": (
            "publicatie",
            "Wat werkt bij het verminderen van polarisatie",
            2022,
        ),
    }
    for doc in crawled.docs:
        assert doc.info.publisher == "KIS"
        assert doc.info.provenance.startswith("gecrawld 20")
        assert doc.info.id.startswith("web-") and len({d.info.id for d in crawled.docs}) == len(crawled.docs)


def test_page_chrome_never_reaches_the_text(crawled: Crawled) -> None:
    for doc in crawled.docs:
        for phrase in CHROME:
            assert phrase not in doc.text, f"{phrase!r} in {doc.info.origin}"
    assert "Kennisgids Polarisatie" in crawled.doc("/kennisgidsen/polarisatie").text


def test_never_requests_outside_hosts_paths_or_robots(crawled: Crawled) -> None:
    requested = crawled.site.registry.requested()
    for path in (
        "/",
        "/nieuws",
        "/over-kis",
        "/publicaties",
        "/privacyverklaring",
        "/contact",
        "/zoeken",
        "/kennisgidsen/concepten/racisme-werkversie",
    ):
        assert path not in requested
    hosts = {hit.host for hit in crawled.site.registry.hits}
    assert hosts == {crawled.site.host}  # the redirect to localhost:<port> was not followed
    assert all(
        hit.user_agent.startswith("KIS-Kennisassistent-test/1.0") for hit in crawled.site.registry.hits
    )


def test_robots_disallowed_page_is_skipped(crawled: Crawled) -> None:
    assert crawled.row("/kennisgidsen/concepten/racisme-werkversie")[:2] == (
        "skipped",
        "verboden door robots.txt",
    )


def test_page_only_in_the_sitemap_is_found(crawled: Crawled) -> None:
    assert "Institutioneel racisme" in crawled.doc("/kennisgidsen/racisme").text


def test_server_error_once_is_retried(crawled: Crawled) -> None:
    assert crawled.site.registry.count("/dossiers/sinti-en-roma") == 2
    assert "Porajmos" in crawled.doc("/dossiers/sinti-en-roma").text


def test_redirect_is_followed_and_recorded_as_alias(crawled: Crawled) -> None:
    assert crawled.row("/kennisgidsen/polarisatie-oud") == (
        "alias",
        None,
        crawled.site.url("/kennisgidsen/polarisatie"),
    )
    assert crawled.row("/kennisgidsen/arbeidsmarktdiscriminatie")[2] == crawled.site.url(
        "/kennisgidsen/discriminatie-op-de-arbeidsmarkt"
    )
    assert sum(d.info.title == "Kennisgids Polarisatie" for d in crawled.docs) == 1


def test_redirect_off_the_allow_list_is_not_followed(crawled: Crawled) -> None:
    outcome, reason, _ = crawled.row("/dossiers/extern")
    assert outcome == "skipped" and "localhost" in str(reason) and "toegestane hosts" in str(reason)


def test_redirect_loop_fails(crawled: Crawled) -> None:
    outcome, reason, _ = crawled.row("/dossiers/lus")
    assert outcome == "failed" and "doorverwijzingslus" in str(reason)
    assert crawled.site.registry.count("/dossiers/lus") == 1


def test_not_found_fails(crawled: Crawled) -> None:
    assert crawled.row("/kennisgidsen/arbeidsmarkt-toolkit")[:2] == ("failed", "niet gevonden (404)")


def test_hanging_page_times_out_after_retries(crawled: Crawled) -> None:
    outcome, reason, _ = crawled.row("/dossiers/traag")
    assert outcome == "failed" and reason == "time-out na 2 pogingen"
    assert crawled.site.registry.count("/dossiers/traag") == 2


@pytest.mark.parametrize("path", ["/dossiers/archief-nieuwsbrieven", "/dossiers/archief-webinars"])
def test_oversized_bodies_are_skipped(crawled: Crawled, path: str) -> None:
    outcome, reason, _ = crawled.row(path)
    assert outcome == "skipped" and str(reason).startswith("te groot")


def test_binary_served_as_html_is_skipped(crawled: Crawled) -> None:
    assert crawled.row("/kennisgidsen/bijlage-vragenlijst.html")[:2] == (
        "skipped",
        "binaire inhoud onder een teksttype",
    )


def test_other_content_types_are_skipped(crawled: Crawled) -> None:
    outcome, reason, _ = crawled.row("/kennisgidsen/polarisatie/infographic")
    assert outcome == "skipped" and "image/png" in str(reason)


def test_malformed_html_is_recovered(crawled: Crawled) -> None:
    doc = crawled.doc("/kennisgidsen/gelijke-kansen-in-het-onderwijs")
    assert "Een kansrijk advies geeft leerlingen" in doc.text
    assert "| Groep 8 | Kansrijk adviseren |" in doc.text
    assert "Wij gebruiken cookies" not in doc.text


def test_page_without_content_and_broken_pdf_fail_without_stopping(crawled: Crawled) -> None:
    outcome, reason, _ = crawled.row("/dossiers/leeg")
    assert outcome == "failed" and "geen leesbare inhoud" in str(reason)
    outcome, reason, _ = crawled.row("/media/publicaties/factsheet-arbeidsmarktdiscriminatie.pdf")
    assert outcome == "failed" and "onleesbaar" in str(reason)


def test_same_content_under_two_urls_is_kept_once(crawled: Crawled) -> None:
    assert crawled.row("/kennisgidsen/moslimdiscriminatie-en-islamofobie")[0] in ("new", "unchanged")
    titles = [d.info.title for d in crawled.docs]
    assert titles.count("Kennisgids Moslimdiscriminatie") == 1


def test_canonical_link_makes_an_alias(crawled: Crawled) -> None:
    assert crawled.row("/dossiers/sinti-en-roma/index.html")[2] == crawled.site.url("/dossiers/sinti-en-roma")


def test_overview_pages_are_followed_but_not_documents(crawled: Crawled) -> None:
    assert crawled.row("/kennisgidsen")[0] == "new"
    assert all(not d.info.origin.endswith(("/kennisgidsen", "/dossiers")) for d in crawled.docs)


def test_linked_pdf_is_parsed_with_page_numbers(crawled: Crawled) -> None:
    doc = crawled.doc("/media/publicaties/wat-werkt-bij-polarisatie.pdf")
    pages = {doc.text[b.start : b.end]: b.page for b in doc.blocks}
    assert pages["2.1 Contact onder gunstige voorwaarden"] == 2
    assert pages["4. Tot slot"] == 4
    assert {b.page for b in doc.blocks} == {1, 2, 3, 4}


def test_related_publications_are_recorded(crawled: Crawled) -> None:
    links = dict(related_links(crawled.state, crawled.site.url("/kennisgidsen/polarisatie")))
    pdf = crawled.site.url("/media/publicaties/wat-werkt-bij-polarisatie.pdf")
    assert links[pdf] == "Wat werkt bij het verminderen van polarisatie (PDF)"
    assert links["https://www.nctv.nl/onderwerpen/polarisatie"] == "NCTV over polarisatie"
    assert crawled.site.url("/kennisgidsen") not in links  # navigation is no related link
