"""Ingest → index → hybrid retrieval against a real embedded Chroma, and the ways ingest can go wrong."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.pipeline import parse_corpus
from kis.cli import app
from kis.settings import Settings
from kis.wiring import build_embedder, index_exists, ingest, ingest_config
from rag.answer.question import QUESTION_STEMS
from rag.embedders import Embedder
from rag.errors import ConfigError, SourceError, StoreError
from rag.retrieval.retriever import Filters, Retriever
from rag.store.bm25 import BM25Index, tokenize
from rag.store.index import INDEX_FORMAT, Index, current_build
from tests.conftest import CORPUS, SettingsFactory, copy_corpus


class CountingEmbedder:
    """The real embedder, counting what it is asked to embed (and failing on request)."""

    def __init__(self, inner: Embedder, fail_after: int | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.documents = 0
        self.fail_after = fail_after

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if self.fail_after is not None and self.documents >= self.fail_after:
            raise KeyboardInterrupt  # an ingest killed half-way
        self.documents += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def with_cache_of(source: Settings, target: Settings) -> Settings:
    """Seed ``target`` with the embedding cache of ``source`` so a test need not embed the corpus again."""
    target.index_dir.mkdir(parents=True)
    shutil.copy(source.index_dir / "embeddings.sqlite", target.index_dir / "embeddings.sqlite")
    return target


def test_hybrid_retrieval_finds_structured_passages(corpus_index: Settings, embedder: Embedder) -> None:
    index = Index.open(corpus_index.index_dir)
    retriever = Retriever(index, embedder)
    hits = retriever.search("Wie zitten er in de Raad van advies?", 5)
    assert any("Raad van advies" in h.chunk.text for h in hits)
    assert all(h.dense_rank or h.bm25_rank for h in hits)
    project = retriever.search("doelgroep van het project", 5, filters=Filters(project=3))
    assert project and all(h.chunk.project == 3 for h in project)
    chunk = hits[0].chunk
    assert index.document_text(chunk.doc_id)[chunk.start : chunk.end] == chunk.text


def test_each_retrieval_mode_returns_ranked_hits(corpus_index: Settings, embedder: Embedder) -> None:
    retriever = Retriever(Index.open(corpus_index.index_dir), embedder)
    dense = retriever.search("strategieën tegen polarisatie", 5, mode="dense")
    lexical = retriever.search("strategieën tegen polarisatie", 5, mode="bm25")
    assert dense and all(h.bm25_rank is None for h in dense)
    assert lexical and all(h.dense_rank is None for h in lexical)
    assert [h.score for h in dense] == sorted((h.score for h in dense), reverse=True)


def test_fusion_weighs_each_side_by_its_share(corpus_index: Settings, embedder: Embedder) -> None:
    retriever = Retriever(Index.open(corpus_index.index_dir), embedder)
    query = "Welke kennisbronnen gebruikt KIS?"
    ids = [h.chunk.id for h in retriever.search(query, 5, mode="dense")]
    lexical = [h.chunk.id for h in retriever.search(query, 5, mode="bm25")]
    assert [h.chunk.id for h in retriever.search(query, 5, dense_weight=1.0)] == ids
    assert [h.chunk.id for h in retriever.search(query, 5, dense_weight=0.0)] == lexical
    # a passage one side ranks first by a wide margin stays in the fused top five
    assert lexical[0] in [h.chunk.id for h in retriever.search(query, 5)]


def test_unchanged_reingest_embeds_nothing(corpus_index: Settings, embedder: Embedder) -> None:
    before = current_build(corpus_index.index_dir)
    counting = CountingEmbedder(embedder)
    report = ingest(corpus_index, counting)
    assert report.up_to_date and counting.documents == 0
    assert current_build(corpus_index.index_dir) == before


def test_changed_text_reembeds_only_changed_chunks(
    corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory, tmp_path: Path
) -> None:
    text = (CORPUS / "werkplan-2026.txt").read_text(encoding="utf-8")
    changed = text.replace("De Raad van advies bestaat uit", "De Raad van advies van KIS bestaat uit", 1)
    assert changed != text
    settings = with_cache_of(corpus_index, make_settings(corpus_dir=copy_corpus(tmp_path / "c", changed)))
    counting = CountingEmbedder(embedder)
    report = ingest(settings, counting)
    assert not report.up_to_date
    assert 1 <= counting.documents <= 3
    assert report.chunks == Index.open(settings.index_dir).vectors.count()


def test_a_new_build_keeps_the_active_builds_vectors_and_replaces_what_changed(
    corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory, tmp_path: Path
) -> None:
    settings = with_cache_of(corpus_index, make_settings(corpus_dir=copy_corpus(tmp_path / "c")))
    ingest(settings, embedder)
    before = Index.open(settings.index_dir)
    text = (settings.corpus_dir / "werkplan-2026.txt").read_text(encoding="utf-8")
    (settings.corpus_dir / "werkplan-2026.txt").write_text(text.replace("Vraagbaak", "Vraagloket"))
    ingest(settings, embedder)
    after = Index.open(settings.index_dir)
    assert after.paths != before.paths and after.info.collection == before.info.collection  # a copy
    assert after.vectors.count() == len(after.chunks)
    new = [c for c in after.chunks.values() if "Vraagloket" in c.text]
    gone = [c for cid, c in before.chunks.items() if cid not in after.chunks]
    assert new and gone
    for chunk in new + gone:
        found = after.vectors.query(embedder.embed_documents([chunk.embed_text])[0], 1)[0][0]
        assert (found == chunk.id) == (chunk in new)
    assert before.vectors.count() == len(before.chunks)  # the old build is as it was


def test_removed_document_leaves_the_index(
    corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory, tmp_path: Path
) -> None:
    corpus = copy_corpus(tmp_path / "c")
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    extra = dict(manifest["documents"][0], id="werkplan-kopie", path="kopie.txt")
    shutil.copy(corpus / "werkplan-2026.txt", corpus / "kopie.txt")
    (corpus / "manifest.json").write_text(json.dumps({"documents": [*manifest["documents"], extra]}))
    settings = with_cache_of(corpus_index, make_settings(corpus_dir=corpus))
    ingest(settings, embedder)
    assert {c.doc_id for c in Index.open(settings.index_dir).chunks.values()} == {
        "werkplan-2026",
        "werkplan-kopie",
    }
    (corpus / "manifest.json").write_text(json.dumps(manifest))
    ingest(settings, embedder)
    index = Index.open(settings.index_dir)
    assert {c.doc_id for c in index.chunks.values()} == {"werkplan-2026"}
    assert index.vectors.count() == len(index.chunks)


def test_interrupted_ingest_keeps_the_previous_index(
    corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory, tmp_path: Path
) -> None:
    settings = with_cache_of(corpus_index, make_settings(corpus_dir=copy_corpus(tmp_path / "c")))
    ingest(settings, embedder)
    before = current_build(settings.index_dir)
    text = (settings.corpus_dir / "werkplan-2026.txt").read_text(encoding="utf-8")
    (settings.corpus_dir / "werkplan-2026.txt").write_text(text.replace("Vraagbaak", "Vraagloket"))
    with pytest.raises(KeyboardInterrupt):
        ingest(settings, CountingEmbedder(embedder, fail_after=0))
    assert current_build(settings.index_dir) == before
    retriever = Retriever(Index.open(settings.index_dir), embedder)
    assert any("Vraagbaak" in h.chunk.text for h in retriever.search("Vraagbaak kleine vragen", 5))
    report = ingest(settings, embedder)  # the next ingest finishes and clears the half-built one
    assert not report.up_to_date
    assert len(list((settings.index_dir / "builds").iterdir())) <= 2


def test_an_unchanged_ingest_clears_what_a_killed_one_left_half_built(
    corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory, tmp_path: Path
) -> None:
    settings = with_cache_of(corpus_index, make_settings(corpus_dir=copy_corpus(tmp_path / "c")))
    ingest(settings, embedder)
    half = settings.index_dir / "builds" / "20260101T000000-dood00"
    (half / "docs").mkdir(parents=True)  # a build a killed ingest began: no build.json
    report = ingest(settings, embedder)
    assert report.up_to_date and not half.exists()


def _ingested(corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory) -> Settings:
    """A fresh index of the corpus (its embeddings from the shared cache), to break."""
    settings = with_cache_of(corpus_index, make_settings())
    ingest(settings, embedder)
    return settings


def test_corrupted_index_gives_a_clear_error(
    corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory
) -> None:
    settings = _ingested(corpus_index, embedder, make_settings)
    build = current_build(settings.index_dir)
    assert build is not None
    build.chunks.write_text("{niet json\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"chunks\.jsonl"):
        Index.open(settings.index_dir)


def test_a_file_changed_after_its_build_is_found_and_the_next_ingest_builds_anew(
    corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory
) -> None:
    """A BM25 file with its scores shuffled is valid data, so only its checksum tells: the index
    refuses it with one line, 'kis index verify' says so, and 'kis ingest' does not call it current."""
    settings = _ingested(corpus_index, embedder, make_settings)
    build = current_build(settings.index_dir)
    assert build is not None
    env = {"KIS_DATA_DIR": str(settings.data_dir), "KIS_CORPUS_DIR": str(CORPUS)}
    sound = CliRunner().invoke(app, ["index", "verify"], env=env)
    assert sound.exit_code == 0 and "ongeschonden" in sound.output
    params = build.bm25 / "params.index.json"
    data = json.loads(params.read_text(encoding="utf-8"))
    params.write_text(json.dumps(data, indent=2), encoding="utf-8")  # the same values, other bytes
    with pytest.raises(StoreError, match=r"bm25/params\.index\.json .*checksums.*kis ingest"):
        Index.open(settings.index_dir)
    broken = CliRunner().invoke(app, ["index", "verify"], env=env)
    assert broken.exit_code == 1 and "params.index.json" in broken.output
    assert "Traceback" not in broken.output
    report = ingest(settings, embedder)
    assert not report.up_to_date and report.embedded == 0  # built anew, every vector from the cache
    Index.open(settings.index_dir)


def test_an_index_of_an_older_format_is_refused_and_rebuilt_when_missing_is_asked(
    corpus_index: Settings, embedder: Embedder, make_settings: SettingsFactory
) -> None:
    settings = _ingested(corpus_index, embedder, make_settings)
    build = current_build(settings.index_dir)
    assert build is not None and index_exists(settings)
    info = json.loads(build.info.read_text(encoding="utf-8"))
    build.info.write_text(json.dumps({**info, "format": INDEX_FORMAT - 1}), encoding="utf-8")
    with pytest.raises(StoreError, match=r"formaat .*kis ingest"):
        Index.open(settings.index_dir)
    assert not index_exists(settings)  # so `kis ingest --if-missing` builds it anew


def test_no_index_yet_says_what_to_do(make_settings: SettingsFactory) -> None:
    with pytest.raises(StoreError, match="kis ingest"):
        Index.open(make_settings().index_dir)


def test_manifest_entry_pointing_nowhere_names_the_file(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    corpus = copy_corpus(tmp_path / "c")
    (corpus / "werkplan-2026.txt").unlink()
    with pytest.raises(SourceError, match=r"werkplan-2026\.txt"):
        parse_corpus(ingest_config(make_settings(corpus_dir=corpus)))


def test_empty_document_names_the_file(make_settings: SettingsFactory, tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "c", text="  \n\n")
    with pytest.raises(SourceError, match=r"werkplan-2026\.txt is leeg"):
        parse_corpus(ingest_config(make_settings(corpus_dir=corpus)))


def test_missing_manifest(make_settings: SettingsFactory, tmp_path: Path) -> None:
    (tmp_path / "leeg").mkdir()
    with pytest.raises(ConfigError, match=r"manifest\.json"):
        parse_corpus(ingest_config(make_settings(corpus_dir=tmp_path / "leeg")))


def test_cli_reports_broken_input_with_exit_code(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path / "c", text="")
    result = CliRunner().invoke(
        app, ["ingest"], env={"KIS_CORPUS_DIR": str(corpus), "KIS_DATA_DIR": str(tmp_path / "var")}
    )
    assert result.exit_code == 1
    assert "werkplan-2026.txt is leeg" in result.output
    assert "Traceback" not in result.output


def test_words_that_ask_do_not_outweigh_the_word_asked_about() -> None:
    asking = "Welke vragen? Welke aanpak? Welke partners? Welke rol? Welke planning voor welke groep?"
    index = BM25Index.build(
        ["asking", "answer"], [asking, "Wij werken op basis van drie kennisbronnen. " * 8]
    )
    question = "welke kennisbronnen"
    assert index.search(question, 2)[0][0] == "asking"  # "welke" six times beats one rare word
    assert index.search(question, 2, QUESTION_STEMS)[0][0] == "answer"


def test_a_verb_to_submit_matches_its_split_form_and_not_the_conjunction_if() -> None:
    index = BM25Index.build(
        ["if", "submit"],
        [
            "Indien nodig passen we de planning aan, indien mogelijk in overleg.",
            "Gemeenten hebben de mogelijkheid om vragen in te dienen bij het platform.",
        ],
    )
    assert index.search("Wie kan vragen indienen?", 2)[0][0] == "submit"
    assert tokenize(["om te voorkomen", "door te werken"]) == [["voorkoom"], ["werk"]]  # no verb prefix
    assert tokenize(["Waar heeft het mee te maken?"]) == [["waar", "mee", "maak"]]  # "te maken hebben met"


def test_an_embedder_setting_that_names_none_is_a_clear_error(make_settings: SettingsFactory) -> None:
    with pytest.raises(ConfigError, match="Onbekende embedder 'word2vec'"):
        build_embedder(make_settings(embedder="word2vec"))
    with pytest.raises(ConfigError, match="KIS_EMBED_URL"):
        build_embedder(make_settings(embedder="openai:text-embedding-3-small"))


def test_a_budget_table_is_found_by_the_words_people_ask_it_with(
    corpus_index: Settings, embedder: Embedder
) -> None:
    retriever = Retriever(Index.open(corpus_index.index_dir), embedder)
    top = retriever.search("Wat is het budget voor het project over polarisatie?", 3, mode="bm25")[0].chunk
    assert top.tabular and top.section[-1] == "7. Begroting" and top.project == 3
    assert "budget" not in top.embed_text.lower()  # only what BM25 reads of a budget table says it
