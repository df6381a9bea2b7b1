"""The reader's defects in an answer: headings as sentences, dangling pointers, duplicates, cut words."""

from __future__ import annotations

from evals.hygiene import defects
from rag.schema import Citation, Reply


def reply(answer: str, section: str = "Project 2. Jongeren › 4. Doelgroep", language: str = "nl") -> Reply:
    citation = Citation(1, "d:1", "d", "Werkplan", section, "", "x", 0, 1)
    return Reply("answered", answer, citations=(citation,), language=language)  # type: ignore[arg-type]


def kinds(answer: str, **kwargs: str) -> list[str]:
    return [flaw.split(":")[0] for flaw in defects(reply(answer, **kwargs))]


def test_a_clean_answer_and_a_list_with_its_lead_have_no_defects() -> None:
    assert kinds("Jongeren van 12 tot 18 jaar en hun ouders. [1]") == []
    assert kinds("De doelgroep bestaat uit:\n- jongeren [1]\n- ouders [1]") == []
    assert kinds("The KIS work plan says (quoted in Dutch):\nJongeren en ouders. [1]", language="en") == []


def test_each_defect_is_named() -> None:
    assert kinds("4. Doelgroep [1]\nJongeren en ouders. [1]") == ["heading"]
    assert kinds("Hiermee willen we jongeren bereiken. [1]") == ["dangling"]
    assert kinds("De resultaten zijn hieronder weergegeven: [1]") == ["dangling"]
    assert kinds("Jongeren en ouders van de wijk. [1] Jongeren en ouders van de wijk. [1]") == ["duplicate"]
    assert kinds("Het werk van het programma- [1]") == ["cut"]
    assert kinds("voor financiering. [1]") == ["cut"]


def test_other_replies_have_none() -> None:
    assert defects(Reply("not_found", "Hiermee niets.", language="nl")) == []
