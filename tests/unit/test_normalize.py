"""Dutch normalisation: hyphenation at line ends, whitespace, bullets and list markers."""

from __future__ import annotations

import pytest

from ingest.parse.normalize import (
    bullet_item,
    collapse_whitespace,
    dehyphenate,
    join_lines,
    list_marker,
    normalize_bullets,
    normalize_unicode,
    soft_wrapped,
    vocabulary,
    word_continues,
)

# The opening of the work plan, as extracted (line breaks and trailing spaces kept).
OPENING = (
    "een inclusief samenleven, waarin iedereen – ongeacht migratie- of vluchtach-\n"
    "tergrond, religie of huidskleur – gelijkwaardige kansen krijgt, respectvol \n"
    "ontwikkelen, bundelen en toepasbaar maken\u202fvan wetenschappelijke-, profes-\n"
    "sionele- en ervaringskennis over inclusief samenleven in relatie tot migratie of \n"
    "vluchtachtergrond, religie en kleur. Het werkplan 2026 is dus geen opzichzelfstaand docu-\n"
    "ment maar vormt een eenheid. De KIS-projectleiders zijn vervolgens aan de slag gegaan \n"
    "met professionele kennis en ervaringskennis.\n"
)


def test_words_broken_at_a_line_end_are_joined() -> None:
    text = dehyphenate(OPENING)
    assert "ongeacht migratie- of vluchtachtergrond, religie" in text
    assert "geen opzichzelfstaand document maar" in text


def test_suspended_compounds_keep_hyphen_and_space() -> None:
    text = collapse_whitespace(dehyphenate(OPENING))
    assert "van wetenschappelijke-, professionele- en ervaringskennis" in text
    assert "migratie- of" in text


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("Stafkosten Verwey-\nJonker Instituut", "Stafkosten Verwey-Jonker Instituut"),  # capital right part
        ("Movisie Project-\nAssistent 65", "Movisie Project-Assistent 65"),
        ("de KIS-\nprojectleiders", "de KIS-projectleiders"),  # acronym left part
        ("zoals e-\nlearning", "zoals e-learning"),  # single letter left part
        ("met een migratie- \nof vluchtachtergrond", "met een migratie- of vluchtachtergrond"),
        ("binnen- \nen buitenland", "binnen- en buitenland"),
        ("de integratie(-\nkansen) van", "de integratie(-kansen) van"),
        ("periode 2026-\n2029", "periode 2026-2029"),
    ],
)
def test_real_hyphens_at_a_line_end_stay(broken: str, expected: str) -> None:
    assert dehyphenate(broken, vocab=frozenset()) == expected


def test_the_documents_own_vocabulary_decides() -> None:
    broken = "een anti-\ndiscriminatie aanpak"
    assert dehyphenate(broken, vocab={"antidiscriminatie"}) == "een antidiscriminatie aanpak"
    assert dehyphenate(broken, vocab={"anti-discriminatie"}) == "een anti-discriminatie aanpak"
    # A compound with an inner hyphen is joined at the break when the whole occurs elsewhere.
    assert dehyphenate("zoals e-learn-\nings of", vocab={"e-learnings"}) == "zoals e-learnings of"
    # Without evidence a lowercase break is hyphenation.
    assert dehyphenate("de stockfoto-\ngrafie werkt", vocab=frozenset()) == "de stockfotografie werkt"


def test_vocabulary_leaves_out_the_halves_of_broken_words() -> None:
    words = vocabulary(OPENING)
    assert "vluchtachtergrond" in words
    assert "professionele" in words
    assert "kis-projectleiders" in words
    assert not {"vluchtach", "tergrond", "docu", "profes", "sionele"} & words


def test_join_lines_undoes_wraps_and_collapses_whitespace() -> None:
    vocab = {"projectkosten"}
    header = join_lines(["Externe ", "project-", "kosten /", "", "inhuur (€) Totaal (€)"], vocab)
    assert header == "Externe projectkosten / inhuur (€) Totaal (€)"
    assert join_lines(["bestaande en/", "of door KIS"], vocab) == "bestaande en/of door KIS"
    assert join_lines(["ministerie BZK (https://", "maatschappelijkeonrust.nl)"], vocab) == (
        "ministerie BZK (https://maatschappelijkeonrust.nl)"
    )
    assert (
        join_lines(["Medior onder-", "zoeker 94 89 8.399"], {"onderzoeker"})
        == "Medior onderzoeker 94 89 8.399"
    )


def test_whitespace_and_unicode() -> None:
    assert collapse_whitespace("  het\u00a0bureau\u202fDe\tBeleidsonderzoekers \n(2025) ") == (
        "het bureau De Beleidsonderzoekers (2025)"
    )
    assert normalize_unicode("kennis\u00adbehoefte\u200b") == "kennisbehoefte"
    assert normalize_unicode("ide\u0301e") == "id\u00e9e"


def test_bullets_become_list_markers() -> None:
    assert bullet_item("\t\ufffd Wij dragen bij aan een veerkrachtige samenleving.") == (
        "Wij dragen bij aan een veerkrachtige samenleving."
    )
    assert (
        bullet_item(" \t\ufffd De Databank Erkende sociale interventies")
        == "De Databank Erkende sociale interventies"
    )
    assert bullet_item("Wij dragen bij") is None
    assert normalize_bullets("We blijven:\n\t\ufffd De bereikcijfers monitoren\n• Nieuwsbrief") == (
        "We blijven:\n- De bereikcijfers monitoren\n- Nieuwsbrief"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("\t\ufffd Sociaal professionals", ("- ", "Sociaal professionals")),
        ("1.\t Vraagbaak: Kleine en middelgrote vragen", ("1. ", "Vraagbaak: Kleine en middelgrote vragen")),
        ("b.\tActualiseren kennisdossiers op KIS.nl", ("b. ", "Actualiseren kennisdossiers op KIS.nl")),
        ("8\t Eind 2024 is de gemiddelde wachttijd", ("[8] ", "Eind 2024 is de gemiddelde wachttijd")),
        ("1. Vraagstuk", None),  # a section heading, not an item (no tab)
        ("Totaal Project    169.839", None),
    ],
)
def test_list_markers(line: str, expected: tuple[str, str] | None) -> None:
    assert list_marker(line) == expected


def test_soft_wrapped_lines_end_in_a_space_without_sentence_end() -> None:
    assert soft_wrapped("\t\ufffd Wij werken op basis van drie kennisbronnen: wetenschappelijke kennis, ")
    assert not soft_wrapped("\t\ufffd Een grotere (naams)bekendheid en impact van de inzet van KIS.")
    assert not soft_wrapped("\t\ufffd Onderwijs (zoals een leerlingcoördinator, docent, intern begeleider)")


def test_word_continues_over_a_blank_line_only_for_known_words() -> None:
    assert word_continues("gestart met het evalu-", "eren van initiatieven", {"evalueren"})
    assert not word_continues("gestart met het evalu-", "eren van initiatieven", set())
    assert not word_continues("onder meer van de ", "en uit te breiden", {"deen"})
