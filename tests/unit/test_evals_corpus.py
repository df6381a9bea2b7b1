"""Gold evidence checked against the documents of the current index (``--corpus index``) or a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.cli import make_eval_app
from evals.corpus import index_corpus_text
from evals.errors import EvalError
from tests.unit.test_evals_fakes import CORPUS, fake_answer, gold_jsonl

runner = CliRunner()
GUIDE = "Kennisgids Racisme\n\nInstitutioneel racisme verwijst naar regels en routines van organisaties."
ITEM = {
    "id": "g1",
    "question": "Wat is institutioneel racisme?",
    "kind": "fact",
    "answer": "Regels en routines van organisaties.",
    "must_contain": ["regels en routines"],
    "evidence": ["Institutioneel racisme verwijst naar regels en routines van organisaties."],
    "section": "Kennisgids Racisme",
    "options": [],
}


def fake_index(index_dir: Path, texts: dict[str, str]) -> Path:
    """A finished build as ``build_index`` leaves it, as far as documents go."""
    build = index_dir / "builds" / "b1"
    (build / "docs").mkdir(parents=True)
    for doc_id, text in texts.items():
        (build / "docs" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    info = {
        "id": "b1",
        "fingerprint": "x",
        "embedder": "e",
        "collection": "c",
        "created": "2026-01-01",
        "chunks": 0,
        "documents": [{"id": doc_id} for doc_id in texts],
    }
    (build / "build.json").write_text(json.dumps(info), encoding="utf-8")
    (index_dir / "current").write_text("b1", encoding="utf-8")
    return index_dir


def test_index_corpus_joins_every_document_of_the_current_build(tmp_path: Path) -> None:
    index = fake_index(tmp_path / "index", {"web-racisme": GUIDE, "werkplan-2026": CORPUS})
    text = index_corpus_text(index)
    assert GUIDE in text and CORPUS in text
    with pytest.raises(EvalError, match="nog geen index"):
        index_corpus_text(tmp_path / "leeg")


def test_validate_checks_evidence_against_the_index_or_the_file(tmp_path: Path) -> None:
    werkplan = tmp_path / "werkplan.txt"
    werkplan.write_text(CORPUS, encoding="utf-8")
    guides = tmp_path / "guides.jsonl"
    guides.write_text(gold_jsonl([ITEM]), encoding="utf-8")
    index = fake_index(tmp_path / "index", {"web-racisme": GUIDE})
    app = make_eval_app(lambda: fake_answer, tmp_path / "var", werkplan, index_dir=lambda: index)

    assert runner.invoke(app, ["validate", "--gold", str(guides), "--corpus", "index"]).exit_code == 0
    against_plan = runner.invoke(app, ["validate", "--gold", str(guides)])  # the default: the work plan
    assert against_plan.exit_code == 1 and "evidence niet in het corpus" in against_plan.output
    as_file = tmp_path / "gids.txt"
    as_file.write_text(GUIDE, encoding="utf-8")
    assert runner.invoke(app, ["validate", "--gold", str(guides), "--corpus", str(as_file)]).exit_code == 0

    no_index = make_eval_app(lambda: fake_answer, tmp_path / "var", werkplan)
    refused = runner.invoke(no_index, ["validate", "--gold", str(guides), "--corpus", "index"])
    assert refused.exit_code == 1 and "geen indexmap" in refused.output
