"""Of an older and a newer version of one page, only the newest is indexed."""

from __future__ import annotations

from ingest.near_duplicates import newest_versions
from rag.schema import DocKind, DocumentInfo, ParsedDocument

TEXT = (
    "Docenten merken dat gesprekken over Gaza, racisme of religie snel ontsporen. Deze gids helpt om "
    "het gesprek in de klas voor te bereiden, grenzen te stellen en leerlingen te laten uitpraten. "
)


def page(doc_id: str, title: str, year: int | None, text: str, kind: DocKind = "artikel") -> ParsedDocument:
    info = DocumentInfo(id=doc_id, title=title, kind=kind, publisher="KIS", year=year, origin=doc_id)
    return ParsedDocument(info, text, ())


def test_the_older_version_of_a_page_is_dropped_and_recorded() -> None:
    old = page("oud", "Gesprekken in de klas", 2022, TEXT * 3)
    new = page("nieuw", "Gesprekken in de klas", 2025, TEXT * 3 + "Sinds 2024 is er een lesbrief bij.")
    other = page("ander", "Polarisatie in de wijk", 2022, TEXT * 3)  # same words, another title
    kept, dropped = newest_versions([old, new, other])
    assert [d.info.id for d in kept] == ["nieuw", "ander"]
    assert dropped == {"oud": "nieuw"}


def test_pages_that_only_share_a_title_are_both_kept() -> None:
    first = page("a", "Nieuws", 2024, "Twaalf gemeenten organiseerden dialoogtafels over de wijk.")
    second = page("b", "Nieuws", 2025, "Het College oordeelt gratis over verboden onderscheid bij werk.")
    kept, dropped = newest_versions([first, second])
    assert len(kept) == 2 and dropped == {}
