"""URL normalisation, scope, page kinds, sitemaps and the ``kis crawl`` command."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.crawl.config import CrawlConfig, KindRule, doc_id_for, normalize_url
from ingest.crawl.crawler import STATE_NAME, load_documents
from ingest.crawl.sitemap import parse_sitemap
from ingest.crawl.sources import SOURCES_FILE, Sources, load_sources, named_sources, source_hosts
from kis.crawl_cli import crawl_app
from rag.errors import ConfigError, SourceError
from tests.fixture_site import Site, load_registry, serve_site
from tests.kis_site import serve_kis_site


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("HTTPS://WWW.KIS.NL:443/Kennisgidsen#deel-2", None, "https://www.kis.nl/Kennisgidsen"),
        ("http://www.kis.nl", None, "http://www.kis.nl/"),
        (
            "../dossiers/?utm_source=nieuwsbrief&b=2&a=1",
            "https://www.kis.nl/kennisgidsen/x",
            "https://www.kis.nl/dossiers/?a=1&b=2",
        ),
        ("/zoeken?q=&fbclid=abc", "https://www.kis.nl/", "https://www.kis.nl/zoeken?q="),
        ("http://127.0.0.1:8080/a", None, "http://127.0.0.1:8080/a"),
        ("mailto:info@kis.nl", "https://www.kis.nl/", None),
        ("javascript:void(0)", "https://www.kis.nl/", None),
        ("http://www.kis.nl:notaport/", None, None),
    ],
)
def test_normalize_url(url: str, base: str | None, expected: str | None) -> None:
    assert normalize_url(url, base) == expected


def test_scope_from_seeds_hosts_and_prefixes() -> None:
    config = CrawlConfig(
        seeds=("https://www.kis.nl/kennisgidsen",), path_prefixes=("/kennisgidsen", "/dossiers")
    )
    assert config.hosts == frozenset({"www.kis.nl"})
    assert config.page_allowed("https://www.kis.nl/dossiers/sinti-en-roma")
    assert not config.page_allowed("https://www.kis.nl/nieuws")
    assert not config.page_allowed("https://kis.nl/kennisgidsen")
    assert config.host_allowed("https://www.kis.nl/media/x.pdf")
    assert not config.host_allowed("ftp://www.kis.nl/x")
    explicit = CrawlConfig(
        seeds=("https://www.kis.nl/",), allowed_hosts=("www.kis.nl", "https://publicaties.kis.nl")
    )
    assert explicit.hosts == frozenset({"www.kis.nl", "publicaties.kis.nl"})


def test_kind_rules_by_path_then_breadcrumb() -> None:
    config = CrawlConfig(seeds=("https://www.kis.nl/",))
    assert config.kind_of("https://www.kis.nl/kennisgidsen/polarisatie", (), "artikel") == "kennisgids"
    assert config.kind_of("https://www.kis.nl/kennisgidsen", (), "artikel") == "artikel"
    assert config.kind_of("https://www.kis.nl/dossier/sinti-en-roma", (), "artikel") == "dossier"
    assert config.kind_of("https://www.kis.nl/x", ("Home", "Kennisgidsen", "X"), "artikel") == "kennisgids"
    assert config.kind_of("https://www.kis.nl/media/a.pdf", (), "publicatie") == "publicatie"
    assert config.kind_of("https://www.kis.nl/publicatie/werkplan-2026", (), "artikel") == "werkplan"
    custom = CrawlConfig(
        seeds=("https://www.kis.nl/",), kind_rules=(KindRule("artikel", breadcrumb="Nieuws"),)
    )
    assert custom.kind_of("https://www.kis.nl/kennisgidsen/a", ("Nieuws",), "dossier") == "artikel"


def test_doc_ids_are_stable_readable_and_distinct() -> None:
    a = doc_id_for("https://www.kis.nl/kennisgidsen/polarisatie")
    assert a == doc_id_for("https://www.kis.nl/kennisgidsen/polarisatie")
    assert a.startswith("web-kennisgidsen-polarisatie-")
    assert a != doc_id_for("http://www.kis.nl/kennisgidsen/polarisatie")
    assert doc_id_for("https://www.kis.nl/").startswith("web-home-")


@pytest.mark.parametrize("config", [{}, {"seeds": ("https://www.kis.nl/",), "concurrency": 0}])
def test_unworkable_config_is_a_config_error(config: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        CrawlConfig(**config)  # type: ignore[arg-type]


INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc> https://www.kis.nl/sitemaps/a.xml </loc></sitemap>
<sitemap><loc>/b.xml</loc></sitemap></sitemapindex>"""
URLSET = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://www.kis.nl/a</loc>
<lastmod>2024-01-01</lastmod></url><url><loc></loc></url></urlset>"""


def test_sitemap_index_urlset_and_gzip() -> None:
    index = parse_sitemap(INDEX, "s", 10_000)
    assert index.is_index and index.locations == ("https://www.kis.nl/sitemaps/a.xml", "/b.xml")
    urlset = parse_sitemap(gzip.compress(URLSET), "s", 10_000)
    assert not urlset.is_index and urlset.locations == ("https://www.kis.nl/a",)


@pytest.mark.parametrize(
    "body", [b"<html><body>geen sitemap</body></html>", b"<urlset><url>", gzip.compress(b"<urlset/>" * 5000)]
)
def test_bad_sitemaps_are_source_errors(body: bytes) -> None:
    with pytest.raises(SourceError, match="Sitemap s"):
        parse_sitemap(body, "s", 10_000)


@pytest.fixture
def site() -> Iterator[Site]:
    registry = load_registry()
    del registry.routes["/dossiers/traag"]
    with serve_site(registry) as running:
        yield running


def test_cli_crawls_and_reports_in_dutch(site: Site, tmp_path: Path) -> None:
    args = [
        "--seed",
        site.url("/kennisgidsen"),
        "--prefix",
        "/kennisgidsen",
        "--follow-only",
        "^/kennisgidsen/?$",
        "--delay",
        "0",
        "--max-pages",
        "4",
        "--dir",
        str(tmp_path),
    ]
    result = CliRunner().invoke(crawl_app, args)
    assert result.exit_code == 0, result.output
    assert "Crawl 1" in result.output and "nieuw of gewijzigd" in result.output
    assert (tmp_path / "state.sqlite").exists()


def test_cli_without_seeds_or_sources_fails_with_a_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(crawl_app, ["--dir", str(tmp_path)], env={"KIS_CORPUS_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "startpagina of sitemap" in result.output and "sources.toml" in result.output


def test_cli_without_seeds_crawls_the_sources_the_corpus_names(tmp_path: Path) -> None:
    with serve_kis_site() as base:
        (tmp_path / SOURCES_FILE).write_text(
            f'[[source]]\nname = "fixture"\nsitemaps = ["{base}/sitemap.xml"]\n'
            'path_prefixes = ["/artikel/", "/thema/"]\n',
            encoding="utf-8",
        )
        env = {"KIS_CORPUS_DIR": str(tmp_path), "KIS_CRAWL_DELAY": "0"}
        result = CliRunner().invoke(crawl_app, ["--dir", str(tmp_path / "crawl")], env=env)
    assert result.exit_code == 0, result.output
    crawled = {
        d.info.origin.removeprefix(base)
        for d in load_documents(tmp_path / "crawl" / STATE_NAME, tmp_path / "crawl")
    }
    assert crawled and all(path.startswith(("/artikel/", "/thema/")) for path in crawled)


def test_a_sources_file_with_an_unknown_key_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / SOURCES_FILE).write_text('[[source]]\nsitemap = "https://x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="onbekende sleutel"):
        load_sources(tmp_path)
    assert load_sources(tmp_path / "leeg") == Sources()


def test_each_source_keeps_its_name_and_hosts_and_the_crawl_joins_them(tmp_path: Path) -> None:
    (tmp_path / SOURCES_FILE).write_text(
        '[[source]]\nname = "KIS"\nsitemaps = ["https://www.kis.nl/sitemap.xml"]\n'
        'path_prefixes = ["/artikel/"]\n'
        '[[source]]\nseeds = ["https://www.movisie.nl/"]\nallowed_hosts = ["www.movisie.nl", "movisie.nl"]\n'
        'path_prefixes = ["/artikel/", "/publicatie/"]\n',
        encoding="utf-8",
    )
    sources = named_sources(tmp_path)
    assert [s.name for s in sources] == ["KIS", "bron 2"]
    assert [source_hosts(s) for s in sources] == [{"www.kis.nl"}, {"www.movisie.nl", "movisie.nl"}]
    merged = load_sources(tmp_path)
    assert merged.path_prefixes == ("/artikel/", "/publicatie/") and merged.name == ""
    assert merged.seeds == ("https://www.movisie.nl/",)
