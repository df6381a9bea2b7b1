"""``/v1/admin/crawl``: a crawl of the configured sources and a re-ingest as one background job, and
the Bronnen overview of each source's last crawl, against a real server and the KIS-like site."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from ingest.crawl.sources import SOURCES_FILE
from kis.settings import Settings
from tests.api_server import ApiServer, admin_headers, api_settings, free_port
from tests.conftest import copy_corpus
from tests.integration.test_kis_site import sitemap_paths
from tests.kis_site import serve_kis_site

pytestmark = pytest.mark.slow

SOURCE = "KIS-fixture"


def configure(corpus: Path, sitemap: str) -> None:
    """What the server will crawl next: it reads sources.toml when a crawl starts."""
    (corpus / SOURCES_FILE).write_text(
        f'[[source]]\nname = "{SOURCE}"\nsitemaps = ["{sitemap}"]\n', encoding="utf-8"
    )


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_kis_site() as base:
        yield base


@pytest.fixture(scope="module")
def server(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    workdir = tmp_path_factory.mktemp("api-crawl")
    data_dir = workdir / "var"
    shutil.copytree(corpus_index.index_dir, data_dir / "index")  # with the embedding cache
    corpus = copy_corpus(workdir / "corpus")
    (corpus / SOURCES_FILE).unlink()  # each test names the site it crawls
    settings = api_settings(corpus_index, workdir, data_dir=data_dir, corpus_dir=corpus, crawl_delay=0.0)
    running = ApiServer(settings, workdir).start()
    yield running
    running.stop()


def finish(client: httpx.Client, job_id: str) -> tuple[dict[str, Any], int]:
    """Poll the job to its end, asking a question each time; the job and how many were answered."""
    answered = 0
    deadline = time.monotonic() + 300
    while (job := client.get(f"/v1/admin/crawl/{job_id}", headers=admin_headers()).json())["state"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline, job
        reply = client.post("/v1/chat", json={"question": "Wie zitten er in de Raad van advies?"})
        answered += reply.json()["status"] == "answered"
    return job, answered


def test_a_crawl_that_fetches_nothing_fails_with_one_clear_message(
    server: ApiServer, client: httpx.Client
) -> None:
    configure(server.settings.corpus_dir, f"http://127.0.0.1:{free_port()}/sitemap.xml")  # nobody there
    build = client.get("/readyz").json()["build"]
    started = client.post("/v1/admin/crawl", headers=admin_headers())
    assert started.status_code == 202, started.text
    job, _ = finish(client, started.json()["id"])
    assert job["state"] == "failed" and job["kind"] == "crawl"
    assert "geen enkele pagina" in job["message"] and "index is niet gewijzigd" in job["message"]
    assert "Traceback" not in job["message"] and "/" not in job["message"].replace("corpus/sources.toml", "")
    assert job["crawl"]["fetched"] == 0 and job["build_id"] is None
    assert client.get("/readyz").json()["build"] == build


def test_the_admin_crawl_fetches_the_site_ingests_it_and_the_sources_show_it(
    server: ApiServer, client: httpx.Client, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(server.settings.corpus_dir, f"{site}/sitemap.xml")
    old_build = client.get("/readyz").json()["build"]
    assert client.post("/v1/admin/crawl").status_code == 401
    started = client.post("/v1/admin/crawl", headers=admin_headers())
    assert started.status_code == 202, started.text
    assert started.json()["kind"] == "crawl"
    for path in ("/v1/admin/crawl", "/v1/admin/ingest"):
        busy = client.post(path, headers=admin_headers())
        assert busy.status_code == 409 and "Er loopt al een crawl" in busy.json()["error"]["message"]
    assert client.get(f"/v1/admin/ingest/{started.json()['id']}", headers=admin_headers()).status_code == 404

    job, answered = finish(client, started.json()["id"])
    assert job["state"] == "done", job
    assert answered > 0  # the old index answered while the job ran
    pages = len(sitemap_paths())
    assert job["crawl"]["fetched"] >= pages and job["crawl"]["new"] + job["crawl"]["duplicates"] == pages
    assert (job["crawl"]["changed"], job["crawl"]["removed"]) == (0, 0)
    assert job["build_id"] != old_build and f"{pages} pagina's opgehaald" in job["message"]

    listing = client.get("/v1/documents").json()
    assert listing["build"]["id"] == job["build_id"]
    crawled = [d for d in listing["documents"] if d["status"] == "gecrawld"]
    [source] = listing["sources"]
    assert source["name"] == SOURCE and source["hosts"] == [site.removeprefix("http://")]
    assert source["last_crawl"]["figures"] == job["crawl"]
    assert source["pages"] == len(crawled) > 0
    published = sorted(d["published"][:10] for d in crawled if d["published"])
    assert source["published"] == {"first": published[0], "last": published[-1]}
    assert published[0] < published[-1]
    modified = sorted(d["modified"][:10] for d in crawled if d["modified"])
    assert source["modified"] == {"first": modified[0], "last": modified[-1]}

    # a page's contact people come with its cited passage and its document view
    reply = client.post("/v1/chat", json={"question": "Wie is de contactpersoon voor Lokale aanpak racisme?"})
    cited = reply.json()["citations"][0]
    ramdin = {
        "name": "Shanti Ramdin",
        "role": "adviseur racisme en institutionele uitsluiting",
        "email": "s.ramdin@kis.nl",
        "phone": "",
    }
    assert client.get(f"/v1/sources/{cited['chunk_id']}").json()["contacts"] == [ramdin]
    assert client.get(f"/v1/documents/{cited['doc_id']}").json()["contacts"] == [ramdin]

    monkeypatch.setenv("KIS_UI_API_URL", server.url)
    at = AppTest.from_string("from ui.views.sources import render\nrender()", default_timeout=120).run()
    assert not at.exception
    assert "Websites (1)" in [h.value for h in at.subheader]
    [row] = at.dataframe[0].value.to_dict("records")
    assert row["Bron"] == SOURCE and row["Pagina's in de index"] == str(len(crawled))
    assert row["Gepubliceerd"] == f"{published[0]} – {published[-1]}"
    assert row["Laatst gecrawld"] != "nog niet"
    assert f"{job['crawl']['fetched']} opgehaald: {job['crawl']['new']} nieuw" in row["Laatste crawl"]
