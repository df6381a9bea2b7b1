"""The KIS-like fixture site: served as a CMS serves it, and crawled whole from its sitemap."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from ingest.crawl.config import CrawlConfig
from ingest.crawl.crawler import STATE_NAME, crawl_sync, load_documents
from ingest.pipeline import parse_corpus
from kis.wiring import build_assistant, ingest, ingest_config
from rag.embedders import Embedder
from rag.schema import Reply
from tests.conftest import SettingsFactory
from tests.integration.test_crawl_ingest import empty_corpus
from tests.kis_site import SITE, serve_kis_site


def sitemap_paths() -> set[str]:
    text = (SITE / "sitemap.xml").read_text(encoding="utf-8")
    return {path or "/" for path in re.findall(r"<loc>\{\{BASE\}\}(/[^<]*)</loc>", text)}


def test_pages_are_served_at_their_paths_and_the_sitemap_names_the_server() -> None:
    with serve_kis_site() as base:
        home = httpx.get(f"{base}/")
        sitemap = httpx.get(f"{base}/sitemap.xml")
        missing = httpx.get(f"{base}/zoeken")
        escape = httpx.get(f"{base}/../README.md")
    assert home.status_code == 200 and "<main" in home.text
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert f"<loc>{base}/" in sitemap.text and "{{BASE}}" not in sitemap.text
    assert missing.status_code == escape.status_code == 404


def test_every_page_of_the_sitemap_is_crawled_into_a_titled_document(tmp_path: Path) -> None:
    with serve_kis_site() as base:
        config = CrawlConfig(sitemaps=(f"{base}/sitemap.xml",), delay=0.0)
        summary = crawl_sync(config, tmp_path / STATE_NAME, tmp_path)
    documents = load_documents(tmp_path / STATE_NAME, tmp_path)
    assert summary.changed == len(sitemap_paths()) >= 30
    assert {doc.info.origin.removeprefix(base) or "/" for doc in documents} == sitemap_paths()
    assert all(doc.info.title for doc in documents)


def test_a_sitemap_given_as_start_page_is_read_as_a_sitemap(tmp_path: Path) -> None:
    counts = []
    with serve_kis_site(robots_names_sitemap=False) as base:
        for at, seed in enumerate((f"{base}/sitemap.xml", f"{base}/sitemap")):  # by name, by content
            where = tmp_path / str(at)
            summary = crawl_sync(
                CrawlConfig(seeds=(seed,), delay=0.0, max_depth=0), where / STATE_NAME, where
            )
            counts.append(summary.changed)
    assert counts == [len(sitemap_paths())] * 2


def test_of_two_versions_of_an_article_only_the_newest_is_indexed(
    tmp_path: Path, make_settings: SettingsFactory
) -> None:
    """The site keeps the 2022 article beside its 2025 update under the same title: ingest keeps
    the update and records the older page as its duplicate."""
    settings = make_settings(corpus_dir=empty_corpus(tmp_path / "corpus"))
    with serve_kis_site() as base:
        config = CrawlConfig(sitemaps=(f"{base}/sitemap.xml",), delay=0.0)
        crawl_sync(config, settings.crawl_dir / STATE_NAME, settings.crawl_dir)
        corpus = parse_corpus(ingest_config(settings))
    kept = {doc.info.id: doc for doc in corpus.documents}
    assert len(corpus.duplicates) == 1
    ((older, newest),) = corpus.duplicates.items()
    assert older not in kept and kept[newest].info.year == 2025
    assert {c.doc_id for c in corpus.chunks} == set(kept)
    assert len(corpus.documents) == len(sitemap_paths()) - 1


def test_who_wrote_a_page_and_when_it_appeared_are_answered_from_what_it_declares(
    tmp_path: Path, make_settings: SettingsFactory, embedder: Embedder
) -> None:
    """Authors and dates come from the page's JSON-LD, meta tags or byline; the answer quotes the
    line of the page that shows them, and a page in focus is what "wanneer" asks about, unless the
    question names another."""
    settings = make_settings(corpus_dir=empty_corpus(tmp_path / "corpus"))
    pages = (
        "/artikel/buurtbewoners-en-nieuwkomers-ontmoeten-elkaar",  # a byline only: "Door Sanne Visser"
        "/publicatie/samenleven-met-nieuwkomers-in-de-buurt",
        "/dossiers/antisemitisme-en-moslimhaat",
    )
    with serve_kis_site() as base:
        config = CrawlConfig(seeds=tuple(f"{base}{p}" for p in pages), delay=0.0, max_depth=0)
        crawl_sync(config, settings.crawl_dir / STATE_NAME, settings.crawl_dir)
    ingest(settings, embedder)
    assistant = build_assistant(settings, embedder=embedder)

    def ask(question: str, conversation: str | None = None) -> Reply:
        reply = assistant.answer(question, conversation)
        assert reply.status == "answered", (question, reply.answer)
        return reply

    wrote = ask("Wie schreef de reportage over Wezeveld?")
    assert "geschreven door Sanne Visser" in wrote.answer
    assert [c.snippet for c in wrote.citations] == ["Door Sanne Visser"]
    updated = ask("Wanneer is het dossier Antisemitisme en moslimhaat voor het laatst bijgewerkt?")
    assert (
        "bijgewerkt op 5 november 2025" in updated.answer
        and "5 november 2025" in updated.citations[0].snippet
    )
    first = ask("Wat vond het onderzoek Samenleven met nieuwkomers in de buurt over zorgen over veiligheid?")
    when = ask("En wanneer is het verschenen?", first.conversation_id)
    assert "‘Samenleven met nieuwkomers in de buurt’ is gepubliceerd op 6 maart 2018" in when.answer
    # a follow-up that names another page by what its title says asks about that page, not the focus
    other = ask("En wie schreef de reportage over Wezeveld?", first.conversation_id)
    assert "geschreven door Sanne Visser" in other.answer
    english = ask(
        "Who were the authors of Samenleven met nieuwkomers in de buurt, and when was it published?"
    )
    assert "written by Ruben Kroes and dr. Marieke van Dalen" in english.answer
    assert "published on 6 March 2018" in english.answer
    older = ask(
        "Wat is ouder: Samenleven met nieuwkomers in de buurt of Buurtbewoners en nieuwkomers ontmoeten "
        "elkaar in Wezeveld?"
    )
    assert older.answer.startswith("‘Buurtbewoners en nieuwkomers ontmoeten elkaar in Wezeveld’ is het oudst")
    assert len(older.citations) == 2  # each date quoted from its own page
    oldest = ask("Wat is de oudste publicatie?")
    assert "De oudste publicatie is ‘Samenleven met nieuwkomers in de buurt’" in oldest.answer
    unknown = assistant.answer("Wie schreef het rapport over klimaatverandering en de woningmarkt?")
    assert unknown.status == "not_found", unknown.answer


def test_whom_to_contact_about_a_page_is_answered_from_its_contact_block(
    tmp_path: Path, make_settings: SettingsFactory, embedder: Embedder
) -> None:
    """The contact block's people (name, function, address) are kept with the page; "Wie is de
    contactpersoon …?" quotes the block, in focus too, and a page without one names no one."""
    settings = make_settings(corpus_dir=empty_corpus(tmp_path / "corpus"))
    pages = (
        "/project/lokale-aanpak-racisme",
        "/dossiers/antisemitisme-en-moslimhaat",  # two people in one block
        "/kennisgidsen/polarisatie-in-de-wijk",  # its author is its contact: "Door Jeroen Bakhuis" above
        "/artikel/buurtbewoners-en-nieuwkomers-ontmoeten-elkaar",  # a byline, no contact block
    )
    with serve_kis_site() as base:
        config = CrawlConfig(seeds=tuple(f"{base}{p}" for p in pages), delay=0.0, max_depth=0)
        crawl_sync(config, settings.crawl_dir / STATE_NAME, settings.crawl_dir)
    ingest(settings, embedder)
    assistant = build_assistant(settings, embedder=embedder)
    declared = {d["origin"].removeprefix(base): d["contacts"] for d in assistant.index.info.documents}
    assert declared[pages[0]] == [
        {
            "name": "Shanti Ramdin",
            "role": "adviseur racisme en institutionele uitsluiting",
            "email": "s.ramdin@kis.nl",
            "phone": "",
        }
    ]
    assert declared[pages[3]] == []

    def ask(question: str, conversation: str | None = None) -> Reply:
        reply = assistant.answer(question, conversation)
        assert reply.status == "answered", (question, reply.answer)
        return reply

    project = ask("Wie is de contactpersoon voor Lokale aanpak racisme?")
    assert project.answer.startswith(
        "De contactpersoon voor ‘Lokale aanpak racisme’ is Shanti Ramdin (adviseur racisme en "
        "institutionele uitsluiting, s.ramdin@kis.nl)."
    )
    (cited,) = project.citations
    assert cited.section.endswith("Contact") and "Neem contact op met Shanti Ramdin" in cited.snippet
    english = ask("Who can I contact about the dossier Antisemitisme en moslimhaat?")
    assert english.answer.startswith("The contact persons for ‘Dossier antisemitisme en moslimhaat’ are ")
    assert "Shanti Ramdin (" in english.answer and "and Jeroen Bakhuis (senior adviseur" in english.answer
    guide = ask("Wat is polarisatie volgens de kennisgids Polarisatie in de wijk?")
    contact = ask("Bij wie kan ik daarover terecht?", guide.conversation_id)
    assert "De contactpersoon voor ‘Kennisgids Polarisatie in de wijk’ is Jeroen Bakhuis" in contact.answer
    assert "j.bakhuis@kis.nl" in contact.citations[0].snippet  # the block, not the byline
    # a question that names no page of its own is asked of the page the conversation is about
    joined = ask("Kan mijn gemeente nog aansluiten?", project.conversation_id)
    assert "Lokale aanpak racisme" in {c.title for c in joined.citations}, joined.answer
    none = assistant.answer(
        "Wie is de contactpersoon voor Buurtbewoners en nieuwkomers ontmoeten elkaar in Wezeveld?"
    )
    assert "contactperso" not in none.answer and "Sanne Visser" not in none.answer, none.answer
