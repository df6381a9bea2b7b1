"""The work-plan parser, on real excerpts of the extracted text and on the whole file."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache

import pytest

from evals.textmatch import holds
from ingest.parse.normalize import collapse_whitespace
from ingest.parse.werkplan import parse_werkplan
from rag.errors import SourceError
from rag.schema import Block, DocumentInfo, ParsedDocument
from tests.conftest import CORPUS, ROOT

INFO = DocumentInfo(
    id="werkplan-2026",
    title="Werkplan 2026",
    kind="werkplan",
    publisher="KIS",
    year=2026,
    origin="https://www.kis.nl/publicatie/werkplan-2026",
)
GOLD = ROOT / "evals" / "gold" / "werkplan.jsonl"
A = "Onderdeel A: Ontwikkeling en benutting van kennis"
BIJLAGE = "Bijlage: Uitgewerkte projectplannen"
P2 = "Project 2. Jongeren, identiteit en veerkracht: strategieën versterken voor het dagelijks leven"

# The preface of the Inleiding (its title comes further down the page) and the Leeswijzer.
INLEIDING = (
    "nieuwe meerjarenprogramma. We hanteren in al onze activiteiten de volgende \n"
    "uitgangspunten: \n"
    "\n"
    "\t\ufffd We werken vanuit een intersectioneel perspectief.\n"
    "\t\ufffd Wij werken op basis van drie kennisbronnen: wetenschappelijke kennis, \n"
    "\n"
    "professionele kennis en ervaringskennis.\n"
    "\t\ufffd Wij nemen ruimte om in te spelen op nieuwe vraagstukken en \n"
    "\n"
    "kennis-behoeften.\n"
    "\n"
    "Onderdeel van een meerjarenprogramma\n"
    "Het voorliggende werkplan betreft de concrete uitwerking van activiteiten voor \n"
    "2026 die volgen uit het KIS-meerjarenprogramma 2026-2029. Het werkplan 2026 is dus geen docu-\n"
    "ment maar vormt een eenheid samen met het meerjarenprogramma.\n"
    "\n"
    "Inleiding\n"
    " Leeswijzer\n"
    "De uitwerking van de verschillende activiteiten en functies van KIS is in het \n"
    "voorliggende werkplan opgenomen. Deze worden beschreven in de onder-\n"
    "delen A t/m E: \n"
    "Onderdeel A: Ontwikkeling en benutting van kennis\n"
    "Onderdeel B: Portaalfunctie\n"
    "Onderdeel C: Verbinding, Signalering en Netwerkontwikkeling\n"
    "Onderdeel D: Communicatie\n"
    "Onderdeel E: Programmaleiding\n"
    "\n"
    "In het laatste hoofdstuk hebben we de begroting toegevoegd per onderdeel. In \n"
    "de bijlagen zijn de uitgewerkte projectplannen te vinden.\n"
)

# A two-column page of Onderdeel A: the right column (project 2) comes before the theme title.
THEMA_1 = (
    " Onderdeel A: Ontwikkeling en benutting van kennis\n"
    "\n"
    "Projecten 2026\n"
    "Binnen onze drie thema’s voeren we in 2026 tien projecten uit.\n"
    " Project 2 Jongeren: versterken veerkracht: strategieën versterken voor \n"
    "het dagelijks leven \n"
    "Dit project richt zich op hoe jongeren met een meervoudige etnisch-culturele \n"
    "identiteit omgaan met uitdagingen, hoe ze daarbij kunnen worden versterkt. \n"
    "\n"
    "Thema 1. Krachtige individuen en gemeenschap\n"
    "\n"
    "Dit thema richt zich op het bevorderen van een samenleving waarin iedereen de \n"
    "vrijheid en autonomie heeft om zijn of haar identiteit en leven vorm te geven.\n"
    "\n"
    "Project 1 Emancipatie en zelfbeschikking  \n"
    "Het doel van dit project is het vergroten van de emancipatie en zelfbeschikking \n"
    "van jongeren. Het Platform \n"
    "Emancipatie en Zelfbeschikking vormt onderdeel van dit project \n"
    "\n"
    "Kennisplatform Inclusief Samenleven - Werkplan 2026\ufffd pag  6   van 80\n"
    "\n"
    "\n"
    "\n"
    "Project 4. Extremisme en radicalisering\n"
    "Dit project beoogt lokale overheden en uitvoerende professionals meer grip te \n"
    "geven op online radicalisering.\n"
    "\n"
    "Thema 2. Respectvol samenleven\n"
    "\n"
    "Dit thema richt zich op het versterken van een veerkrachtige samenleving.\n"
)

BEGROTING_A = (
    "Begroting\n"
    " Onderdeel A. Ontwikkeling en benutting kennis (projecten)\n"
    "\n"
    "Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)\n"
    "Verwey-Jonker \n"
    "Instituut\n"
    "\n"
    "Senior \n"
    "onderzoeker 132 1.727 227.964\n"
    "\n"
    "Stafkosten Verwey-\n"
    "Jonker Instituut  14 4.761 66.654\n"
    "Totaal Verwey-Jonker \n"
    "Instituut    619.300\n"
    "\n"
    "     \n"
    "\n"
    "Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)\n"
    "\n"
    "Movisie Expert 123 847 104.181\n"
    "\n"
    "Movisie\n"
    "Project-\n"
    "Assistent 65 307 19..995\n"
    "\n"
    "Totaal Movisie    591.631\n"
    "Externe projectkosten \n"
    "/ inhuur    115.633\n"
    "\n"
    "Totaal Project    1.326.564\n"
    " Onderdeel B. Portaalfunctie \n"
)


def parse(text: str) -> ParsedDocument:
    return parse_werkplan(text, INFO)


def block_with(doc: ParsedDocument, snippet: str) -> Block:
    """The one block whose text contains ``snippet``."""
    found = [b for b in doc.blocks if snippet in doc.text[b.start : b.end]]
    assert len(found) == 1, f"{len(found)} blocks contain {snippet!r}"
    return found[0]


@cache
def full() -> ParsedDocument:
    return parse((CORPUS / "werkplan-2026.txt").read_text(encoding="utf-8"))


def appendix_excerpt() -> str:
    """The real appendix from its title up to project 4, where pages of projects 1–3 interleave."""
    raw = (CORPUS / "werkplan-2026.txt").read_text(encoding="utf-8")
    return raw[
        raw.index(" Bijlage: Uitgewerkte") : raw.index(
            " 2. Doel(en) project 2026\nHet doel van het project in 2026"
        )
    ]


@pytest.mark.parametrize("text", ["", "  \n\n\t \n"])
def test_empty_document_is_a_source_error(text: str) -> None:
    with pytest.raises(SourceError, match="werkplan-2026 is leeg"):
        parse(text)


def test_text_without_chapters_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="geen hoofdstukindeling"):
        parse("Zomaar een notitie.\n\nMet een tweede alinea over kennis.\n")


def test_preface_bullets_and_leeswijzer() -> None:
    doc = parse(INLEIDING)
    item = block_with(doc, "drie kennisbronnen")
    assert item.kind == "list"
    assert doc.text[item.start : item.end] == (
        "- Wij werken op basis van drie kennisbronnen: wetenschappelijke kennis, professionele kennis en "
        "ervaringskennis."
    )
    assert item.section == ("Inleiding", "Uitgangspunten")
    assert item.confidence == 0.8  # the Inleiding's title is further down the page
    assert block_with(doc, "kennis-behoeften").kind == "list"
    assert block_with(doc, "geen document maar").section == (
        "Inleiding",
        "Onderdeel van een meerjarenprogramma",
    )
    # The Leeswijzer lists the onderdelen; those lines are text, not chapter titles.
    leeswijzer = block_with(doc, "Onderdeel B: Portaalfunctie")
    assert leeswijzer.kind == "paragraph"
    assert leeswijzer.section == ("Inleiding", "Leeswijzer")
    assert "beschreven in de onderdelen A t/m E: Onderdeel A: Ontwikkeling" in doc.text
    assert {b.section[0] for b in doc.blocks} == {"Inleiding"}


def test_theme_title_claims_its_page_and_project_titles_are_joined() -> None:
    doc = parse(THEMA_1)
    thema_1 = (A, "Thema 1. Krachtige individuen en gemeenschap")
    p2 = block_with(doc, "Dit project richt zich op hoe jongeren")
    assert p2.section == (
        *thema_1,
        "Project 2. Jongeren: versterken veerkracht: strategieën versterken voor het dagelijks leven",
    )
    assert (p2.project, p2.theme, p2.onderdeel, p2.confidence) == (2, 1, "A", 0.8)
    title = block_with(doc, "Project 2 Jongeren")
    assert doc.text[title.start : title.end].endswith("versterken voor het dagelijks leven")
    p1 = block_with(doc, "emancipatie en zelfbeschikking van jongeren")
    assert p1.section == (*thema_1, "Project 1. Emancipatie en zelfbeschikking")
    assert (p1.project, p1.theme, p1.confidence) == (1, 1, 1.0)
    assert block_with(doc, "tien projecten").section == (A, "Projecten 2026")
    # After the footer a new page starts; its projects belong to the theme titled later on it.
    p4 = block_with(doc, "online radicalisering")
    assert (p4.section[1], p4.project, p4.theme) == ("Thema 2. Respectvol samenleven", 4, 2)
    assert "pag  6" not in doc.text and "\ufffd" not in doc.text


def test_budget_tables_are_one_block_each_with_a_row_per_line() -> None:
    doc = parse(BEGROTING_A)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 2
    assert {b.section for b in tables} == {
        ("Begroting", "Onderdeel A. Ontwikkeling en benutting kennis (projecten)")
    }
    assert {b.onderdeel for b in tables} == {"A"}
    assert doc.text[tables[0].start : tables[0].end].split("\n") == [
        "Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)",
        "Verwey-Jonker Instituut Senior onderzoeker 132 1.727 227.964",
        "Stafkosten Verwey-Jonker Instituut 14 4.761 66.654",
        "Totaal Verwey-Jonker Instituut 619.300",
    ]
    assert doc.text[tables[1].start : tables[1].end].split("\n")[2:] == [
        "Movisie Project-Assistent 65 307 19..995",
        "Totaal Movisie 591.631",
        "Externe projectkosten / inhuur 115.633",
        "Totaal Project 1.326.564",
    ]
    assert doc.blocks[-1].section == ("Begroting", "Onderdeel B. Portaalfunctie")


def test_interleaved_pages_of_projects_1_and_2() -> None:
    doc = parse(appendix_excerpt())
    # Project 2's goals come right after project 1's results, before project 2's title (same page).
    goals = block_with(doc, "Het doel van ons meerjarenprogramma is dat we jongeren helpen veerkracht")
    assert goals.section == (BIJLAGE, P2, "2. Doel(en) project 2026")
    assert (goals.project, goals.confidence) == (2, 0.8)
    results = block_with(doc, "Een verslag met foto’s van de netwerkbijeenkomst")
    assert results.section == (BIJLAGE, "Project 1. Emancipatie en zelfbeschikking", "6. Resultaten")
    assert results.project == 1
    # "7. Begroting" before "6. Resultaten" is read as printed.
    total = block_with(doc, "Totaal Project 169.839")
    assert (total.kind, total.section[-1], total.project) == ("table", "7. Begroting", 1)
    # The theme banner inside project 1 is page decoration, not a section.
    assert "Thema 1. Krachtige" not in doc.text
    assert block_with(doc, "werkconferentie").section[-1] == "5. Plan van aanpak in hoofdlijnen"
    # A multi-line project title is one heading, and the path uses it whole.
    p3 = "Project 3. Polarisatie begrijpen, voorkomen en aanpakken: Van theorie naar praktijk"
    assert block_with(doc, "driekwart van de Nederlanders").section == (BIJLAGE, p3, "1. Vraagstuk")


def test_planning_tables_and_fragments() -> None:
    doc = parse(appendix_excerpt())
    planning = block_with(doc, "16 interviews met jongeren")
    assert planning.kind == "table"
    assert planning.section == (BIJLAGE, P2, "Planning")
    rows = doc.text[planning.start : planning.end].split("\n")
    assert "4 focusgroepen jongeren (verschillende subgroepen)." in rows
    assert "Werving voor kwalitatief onderzoeksdeel" in rows
    # A sentence fragment whose beginning is elsewhere (two-column page) is a guess.
    fragment = block_with(doc, "ringen leveren weer input")
    assert fragment.project == 3
    assert fragment.confidence == 0.5


def test_block_offsets_slice_the_text_in_order() -> None:
    doc = full()
    previous_end = 0
    for block in doc.blocks:
        text = doc.text[block.start : block.end]
        assert block.start >= previous_end
        assert text and text == text.strip()
        assert not re.search(r"[^\W\d_]-\s*\n", text)  # no word left broken at a line end
        previous_end = block.end
    assert "\t" not in doc.text and "\ufffd" not in doc.text


def test_top_level_structure_of_the_whole_work_plan() -> None:
    tops = list(dict.fromkeys(b.section[0] for b in full().blocks))
    assert tops == [
        "Inleiding",
        A,
        "Onderdeel B: Portaalfunctie",
        "Onderdeel C: Verbinding, borging en impact",
        "Onderdeel D: Communicatie",
        "Onderdeel E: Programmaleiding en programmaontwikkeling",
        "Begroting",
        BIJLAGE,
    ]
    subsections = {b.section[:2] for b in full().blocks if len(b.section) > 1}
    assert ("Onderdeel C: Verbinding, borging en impact", "c. Raad van advies") in subsections
    assert ("Onderdeel D: Communicatie", "Nieuwsbrief") in subsections
    assert ("Onderdeel D: Communicatie", "Herpositionering light") in subsections
    assert ("Begroting", "Totaal overzichten begroting KIS 2026") in subsections


def test_all_fourteen_projects_with_their_sections() -> None:
    doc = full()
    themes = {b.project: b.theme for b in doc.blocks if b.section[0] == A and b.project}
    assert themes == {
        1: 1,
        2: 1,
        3: 2,
        4: 2,
        5: 2,
        6: 2,
        7: 3,
        8: 3,
        9: 3,
        10: 3,
        11: None,
        12: None,
        13: None,
        14: None,
    }
    numbers: dict[int, set[int]] = {}
    for block in doc.blocks:
        if block.section[0] == BIJLAGE and len(block.section) == 3 and block.section[2][0].isdigit():
            assert block.project is not None and block.section[1].startswith(f"Project {block.project}. ")
            numbers.setdefault(block.project, set()).add(int(block.section[2].split(".")[0]))
    assert sorted(numbers) == list(range(1, 15))
    for project, found in numbers.items():
        assert found == set(range(1, 8)), project
    assert {b.onderdeel for b in doc.blocks if b.section[0] == BIJLAGE and b.project} == {"A"}


def test_each_budget_table_lands_under_its_own_plan() -> None:
    """Two-column pages print a plan's budget beside the next plan's start; order decides, not place."""
    doc = full()
    totals: dict[int, list[str]] = {}
    for block in doc.blocks:
        text = doc.text[block.start : block.end]
        if block.section[-1] == "7. Begroting" and block.project and "Totaal Project" in text:
            totals.setdefault(block.project, []).extend(re.findall(r"Totaal Project\s+([\d.]+)", text))
    assert sorted(totals) == list(range(1, 15))
    assert all(len(found) == 1 for found in totals.values())
    assert (totals[8], totals[9], totals[10]) == (["84.475"], ["84.475"], ["84.331"])


def test_tables_and_confidence_over_the_whole_file() -> None:
    doc = full()
    tables = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "table"]
    budgets = [t for t in tables if t.startswith("Organisatie Onderzoeker")]
    assert len(budgets) == 40  # 5 onderdelen, the overall breakdown, 14 projects: 2 each
    assert all(re.search(r"\d$", row) for t in budgets for row in t.split("\n")[1:])
    assert sum(t.startswith("Planning in maanden") for t in tables) == 14
    levels = Counter(b.confidence for b in doc.blocks)
    assert set(levels) == {1.0, 0.8, 0.5}
    assert levels[1.0] > levels[0.8] + levels[0.5]


def test_steps_of_a_plan_and_fragments_over_the_whole_file() -> None:
    doc = full()
    # "Fase 2A" lands after project 8's results: a step heading belongs to the plan (inferred: 0.8).
    step = block_with(doc, "Dit houdt onder meer in dat we samen met stakeholders")
    assert (step.project, step.section[-1], step.confidence) == (8, "5. Plan van aanpak in hoofdlijnen", 0.8)
    assert (
        block_with(doc, "Stap 2: Stakeholders samenbrengen").section[-1]
        == "5. Plan van aanpak in hoofdlijnen"
    )
    # Read under its heading on the same page, but it starts mid-sentence: its place is a guess.
    fragment = block_with(doc, "en uit te breiden en partijen aan elkaar")
    assert fragment.section == (
        "Onderdeel C: Verbinding, borging en impact",
        "d. Verbinding met de wetenschap: Leerstoel KIS",
    )
    assert fragment.confidence == 0.5
    assert block_with(doc, "De Raad van advies bestaat uit").confidence == 1.0


def normalise(text: str) -> str:
    """The evaluation's matching: words hyphenated at a line break joined, whitespace collapsed."""
    return collapse_whitespace(re.sub(r"-[ \t]*\n\s*", "", text)).casefold()


def evidence() -> list[str]:
    """The evidence of the project's gold set, including that of conversation turns."""
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    turns = [turn for row in rows for turn in row.get("turns", [row])]
    return [snippet for turn in turns for snippet in turn.get("evidence", [])]


def test_the_parsed_text_holds_every_evidence_snippet_as_the_evaluation_matches_it() -> None:
    text = full().text
    snippets = evidence()
    assert len(snippets) > 50
    assert [s for s in snippets if not holds(text, s)] == []
