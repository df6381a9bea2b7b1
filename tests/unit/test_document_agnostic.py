"""The answering code names no document: no heading or title of the work plan or of the site's
pages (three words or more), and no year a document is about, appears in a string of ``rag/``.
What a document calls its parts and which year it covers are read from the document, so the
answerer works on documents it was not written for (next year's plan among them)."""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup

from ingest.parse.werkplan import parse_werkplan
from rag.schema import DocumentInfo
from tests.conftest import CORPUS, ROOT

MIN_WORDS = (
    3  # "Doelgroep" or "Planning" is a word of the language; "Plan van aanpak in hoofdlijnen" a heading
)
_NUMBERING = re.compile(r"^(?:\d{1,2}[.)]|[A-E][.:])\s*")
SITE = ROOT / "tests" / "fixtures" / "kis_site" / "pages"


def _normal(text: str) -> str:
    return " ".join(_NUMBERING.sub("", text.strip()).lower().split())


@cache
def headings() -> frozenset[str]:
    info = DocumentInfo(
        id="werkplan", title="Werkplan", kind="werkplan", publisher="KIS", year=None, origin=""
    )
    plan = parse_werkplan((CORPUS / "werkplan-2026.txt").read_text(encoding="utf-8"), info)
    found = {_normal(h) for block in plan.blocks for h in block.section}
    for page in SITE.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found |= {_normal(h.get_text(" ")) for h in soup.find_all(["h1", "h2", "h3", "title"])}
    return frozenset(h for h in found if len(h.split()) >= MIN_WORDS)


def strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, its docstrings left out (they may quote an example)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)
    }
    return [
        (node.lineno, _normal(node.value))
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_the_corpus_has_headings_to_check_against() -> None:
    assert len(headings()) > 100


def test_no_heading_or_title_of_a_document_is_in_the_answering_code() -> None:
    named = [
        f"{path.relative_to(ROOT)}:{line}: {heading!r}"
        for path in sorted((ROOT / "rag").rglob("*.py"))
        for line, text in strings(path)
        for heading in headings()
        if heading in text
    ]
    assert not named, "\n".join(named)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@cache
def document_years() -> frozenset[str]:
    """The years the documents are about: those their titles name."""
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    titles = [document["title"] for document in manifest["documents"]]
    for page in SITE.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        titles += [h.get_text(" ") for h in soup.find_all(["h1", "title"])]
    return frozenset(year for title in titles for year in _YEAR.findall(title))


def test_no_year_a_document_is_about_is_in_the_answering_code() -> None:
    assert "2026" in document_years()
    named = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted((ROOT / "rag").rglob("*.py"))
        for line, text in strings(path)
        if document_years() & set(_YEAR.findall(text))
    ]
    assert not named, "\n".join(named)
