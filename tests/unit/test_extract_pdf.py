"""PDF extraction: page numbers, headings by font size, running lines dropped, words rejoined."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from ingest.parse.pdf import PdfContent, extract_pdf
from rag.errors import SourceError
from tests.fixture_site import BROKEN_PDF, publication_pdf

URL = "https://www.kis.nl/media/publicaties/wat-werkt-bij-polarisatie.pdf"


@pytest.fixture(scope="module")
def pdf() -> PdfContent:
    return extract_pdf(publication_pdf(), URL)


def _at(pdf: PdfContent, text: str) -> tuple[str, tuple[str, ...], int | None]:
    block = next(b for b in pdf.blocks if pdf.text[b.start : b.end].startswith(text))
    return block.kind, block.section, block.page


def test_metadata(pdf: PdfContent) -> None:
    assert (pdf.title, pdf.year, pdf.pages) == ("Wat werkt bij het verminderen van polarisatie", 2022, 4)


def test_headings_by_size_and_page_numbers(pdf: PdfContent) -> None:
    title = "Wat werkt bij het verminderen van polarisatie"
    assert _at(pdf, "1. Inleiding") == ("heading", (title, "1. Inleiding"), 1)
    assert _at(pdf, "2.1 Contact") == (
        "heading",
        (title, "2. Werkzame elementen", "2.1 Contact onder gunstige voorwaarden"),
        2,
    )
    # a section carries over the page break: 2.2 on page 3 still sits under chapter 2
    assert _at(pdf, "Een dialoog") == (
        "paragraph",
        (title, "2. Werkzame elementen", "2.2 Dialoog en gespreksleiding"),
        3,
    )
    assert _at(pdf, "Er is geen eenvoudige") == ("paragraph", (title, "4. Tot slot"), 4)


def test_running_header_footer_and_page_numbers_are_dropped(pdf: PdfContent) -> None:
    assert "| KIS" not in pdf.text
    assert "Pagina " not in pdf.text


def test_words_broken_at_a_line_end_are_joined(pdf: PdfContent) -> None:
    assert "Een goede samenleving vraagt om ontmoeting" in pdf.text
    assert "wij-zij-denken" in pdf.text  # a real hyphen stays


def test_bullets_become_list_items(pdf: PdfContent) -> None:
    assert (
        "- Zorg voor een gezamenlijk doel dat alle deelnemers belangrijk vinden.\n- Organiseer herhaald"
        in pdf.text
    )
    assert _at(pdf, "- Richt de aanpak op het stille midden.")[0] == "list"


def test_paragraphs_are_split_at_short_closing_lines(pdf: PdfContent) -> None:
    assert _at(pdf, "In deze publicatie beschrijven")[0] == "paragraph"
    assert "\n\nIn deze publicatie beschrijven" in pdf.text


def _plain_pdf(text: str) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=11)
    if text:
        doc.multi_cell(0, 6, text)
    return bytes(doc.output())


def test_title_falls_back_to_the_link_text_then_the_file_name() -> None:
    body = _plain_pdf("Een korte notitie zonder kopjes, geschreven voor gemeenten.")
    assert extract_pdf(body, URL, "Notitie voor gemeenten").title == "Notitie voor gemeenten"
    assert (
        extract_pdf(body, "https://www.kis.nl/media/factsheet_sinti-en-roma.pdf").title
        == "factsheet sinti en roma"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [(BROKEN_PDF, "onleesbaar"), (b"%PDF-", "onleesbaar"), (_plain_pdf(""), "geen tekst")],
)
def test_broken_or_empty_pdf_is_a_source_error(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        extract_pdf(body, URL)
