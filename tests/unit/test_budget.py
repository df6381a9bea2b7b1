"""Budget tables → exact records, and the arithmetic audit, on excerpts of the real work plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.budget.audit import audit_budget
from ingest.budget.tables import parse_budget
from rag.budget.records import BudgetTables, NumberTypo, Scope
from rag.errors import SourceError
from rag.language.numbers import format_euro, format_number, is_regular_dutch_number, parse_dutch_number
from rag.schema import BudgetRow

WERKPLAN = Path(__file__).resolve().parents[2] / "corpus" / "werkplan-2026.txt"
VJI = "Verwey-Jonker Instituut"

# Lines 748–801 of the work plan, trailing spaces dropped: wrapped cells and the typo 19..995.
ONDERDEEL_A = """Begroting
 Onderdeel A. Ontwikkeling en benutting kennis (projecten)

Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)
Verwey-Jonker
Instituut

Senior
onderzoeker 132 1.727 227.964

Verwey-Jonker
Instituut

Medior
onderzoeker 94 916 86.104

Verwey-Jonker
Instituut Onderzoeker 69 1.654 114.126
Verwey-Jonker
Instituut

Project
ondersteuning 63 464 29.232

Stafkosten Verwey-
Jonker Instituut  14 4.761 66.654
Overhead Verwey-
Jonker Instituut  20 4.761 95.220
Totaal Verwey-Jonker
Instituut    619.300



Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)

Movisie Expert 123 847 104.181

Movisie Senior 95 1.496 142.120

Movisie Junior 68 2.165 147.220

Movisie
Project-
Assistent 65 307 19..995

Stafkosten Movisie  16 4.815 77.040

Overhead Movisie  21 4.815 101.115

Totaal Movisie    591.631
Externe projectkosten
/ inhuur    115.633

Totaal Project    1.326.564
"""

# Lines 909–957: roles hyphenated over two lines ("Senior communi-" / "catieadviseur").
ONDERDEEL_D = """ Onderdeel D. Communicatie

Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)
Verwey-Jonker
Instituut

Senior communi-
catieadviseur 94 360 33.840

Verwey-Jonker
Instituut

Communicatie
adviseur 69 610 42.090

Verwey-Jonker
Instituut

Project
ondersteuning 63 90 5.670

Stafkosten Verwey-
Jonker Instituut  14 1.060 14.840
Overhead Verwey-
Jonker Instituut  20 1.060 21.200
Totaal Verwey-Jonker
Instituut    117.640



Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)

Movisie
Senior communi-
catieadviseur 95 390 37.050

Movisie
Communicatie-
adviseur 68 1.040 70.720

Stafkosten Movisie  16 1.430 22.880

Overhead Movisie  21 1.430 30.030

Totaal Movisie    160.680
Externe projectkosten
/ inhuur    70.000

Totaal Project    348.320
"""

# Lines 1040–1058: amounts at the end of an item or alone on the next line.
ADDITIONS = (
    "Dit totaalbedrag bestaat uit het basisbedrag voor 2026 van €2.563.000 en addi-\n"
    "tionele bedragen voor:\n"
    "\n"
    "\t\ufffd Cofinanciering min. SZW portaalfunctie € 30.000\n"
    "\t\ufffd Uitbreiding project Zelfbeschikking Platform Emancipatie en\n"
    "\n"
    "Zelfbeschikking\n"
    "€ 50.000\n"
    "\n"
    "\t\ufffd Uitbreiding project (3) Polarisatie €10.000\n"
    "\t\ufffd Uitbreiding Database interventies (project 11) met extremisme en\n"
    "\n"
    "radicalisering\n"
    "€ 85.519\n"
    "\n"
    "\t\ufffd Kennisdossier Roma en Sinti € 40.049\n"
    "\t\ufffd Actieonderzoek Pabo’s (budget van min. OCW via min. SZW) € 48.758\n"
    "\t\ufffd Aanpak moslimdiscriminatie € 99.970\n"
    "\n"
)

# Lines 2233 and 2261–2311: a project whose "Medior onder-/zoeker" row names no organisation.
PROJECT_6 = """ Bijlage: Uitgewerkte projectplannen

Project 6. Aanpak discriminatie

1. Vraagstuk
Discriminatie is een hardnekkig probleem en heeft negatieve gevolgen voor de
 7. Begroting

Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)
Verwey-Jonker
Instituut

Senior
onderzoeker 132 89 11.748
Medior onder-

zoeker 94 78 7.332
Verwey-Jonker
Instituut Onderzoeker 69 124 8.556
Verwey-Jonker
Instituut

Project
ondersteuning 63 31 1.953

Stafkosten Verwey-
Jonker Instituut 14 322 4.508

Overhead  Verwey-
Jonker Instituut 20 322 6.440

Totaal Verwey-Jonker
Instituut 40.537

Organisatie Onderzoeker Uurtarief (€) Aantal Bedrag (€)

Movisie Expert 123 97 11.931

Movisie Senior 95 78 7.410

Movisie
Junior/
medior 68 124 8.432

Movisie
Project-
Assistent 65 27 1.755

Stafkosten Movisie  16 326 5.216

Overhead Movisie  21 326 6.846

Totaal Movisie    41.590
Externe projectkosten
/ inhuur    2.500

Totaal Project    84.627
"""


@pytest.fixture(scope="module")
def raw() -> str:
    return WERKPLAN.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables(raw: str) -> BudgetTables:
    return parse_budget(raw)


def _one(tables: BudgetTables, scope_kind: str, scope: str, line: int, row_kind: str) -> BudgetRow:
    found = [
        r
        for r in tables.rows
        if (r.scope_kind, r.scope, r.line, r.row_kind) == (scope_kind, scope, line, row_kind)
    ]
    assert len(found) == 1, found
    return found[0]


# --- Dutch numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.326.564", 1326564), ("1255", 1255), ("19..995", 19995), ("€ 30.000", 30000), ("€10.000", 10000)],
)
def test_dutch_numbers_are_read_as_printed(text: str, value: int) -> None:
    assert parse_dutch_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,5", "12 345", "€"])
def test_what_is_no_dutch_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_dutch_number(text)


def test_irregular_notation_is_recognised() -> None:
    assert is_regular_dutch_number("1.255") and is_regular_dutch_number("94")
    assert not is_regular_dutch_number("1255")
    assert not is_regular_dutch_number("19..995")


def test_euros_are_written_the_dutch_way() -> None:
    assert format_euro(121461) == "€ 121.461"
    assert format_euro(2927296) == "€ 2.927.296"
    assert format_euro(0) == "€ 0"
    assert format_euro(-1234) == "€ -1.234"
    assert format_number(1326564) == "1.326.564"


# --- parsing excerpts -----------------------------------------------------------------------


def test_onderdeel_table_rows_keep_their_figures_and_lines() -> None:
    tables = parse_budget(ONDERDEEL_A)
    assert tables.scopes == (Scope("onderdeel", "A", "Ontwikkeling en benutting kennis (projecten)"),)
    assert [r.row_kind for r in tables.rows] == (
        ["line"] * 4 + ["stafkosten", "overhead", "subtotal"]
        + ["line"] * 4 + ["stafkosten", "overhead", "subtotal", "external", "total"]
    )  # fmt: skip
    senior = tables.rows[0]
    assert (senior.organisation, senior.role, senior.rate, senior.hours, senior.amount) == (
        VJI,
        "Senior onderzoeker",
        132,
        1727,
        227964,
    )
    assert senior.line == 5
    assert senior.source == "Verwey-Jonker Instituut Senior onderzoeker 132 1.727 227.964"
    staff = tables.rows[4]
    assert (staff.organisation, staff.role, staff.rate, staff.hours, staff.amount) == (
        VJI,
        "Stafkosten",
        14,
        4761,
        66654,
    )
    assistant = tables.rows[10]
    assert (assistant.role, assistant.amount, assistant.line) == ("Project-Assistent", 19995, 42)
    assert assistant.source == "Movisie Project-Assistent 65 307 19..995"
    assert tables.typos == (NumberTypo(44, "19..995", 19995),)  # the line with the figures
    external, total = tables.rows[-2:]
    assert (external.organisation, external.amount, external.line) == (None, 115633, 51)
    assert (total.amount, total.line, total.source) == (1326564, 54, "Totaal Project 1.326.564")


def test_hyphenated_and_wrapped_roles_are_joined() -> None:
    roles = [(r.organisation, r.role) for r in parse_budget(ONDERDEEL_D).rows if r.row_kind == "line"]
    assert roles == [
        (VJI, "Senior communicatieadviseur"),
        (VJI, "Communicatieadviseur"),
        (VJI, "Project ondersteuning"),
        ("Movisie", "Senior communicatieadviseur"),
        ("Movisie", "Communicatieadviseur"),
    ]


def test_additional_amounts_are_read_with_the_amount_on_the_next_line() -> None:
    tables = parse_budget(ADDITIONS)
    basis, *additions = tables.rows
    assert (basis.scope_kind, basis.scope, basis.amount, basis.line) == ("basis", "2026", 2563000, 1)
    assert [(r.scope, r.amount, r.line) for r in additions] == [
        ("Cofinanciering min. SZW portaalfunctie", 30000, 4),
        ("Uitbreiding project Zelfbeschikking Platform Emancipatie en Zelfbeschikking", 50000, 5),
        ("Uitbreiding project (3) Polarisatie", 10000, 10),
        ("Uitbreiding Database interventies (project 11) met extremisme en radicalisering", 85519, 11),
        ("Kennisdossier Roma en Sinti", 40049, 16),
        ("Actieonderzoek Pabo’s (budget van min. OCW via min. SZW)", 48758, 17),
        ("Aanpak moslimdiscriminatie", 99970, 18),
    ]
    assert {r.scope_kind for r in additions} == {"aanvulling"}
    assert additions[1].source == (
        "Uitbreiding project Zelfbeschikking Platform Emancipatie en Zelfbeschikking € 50.000"
    )


def test_a_row_without_organisation_continues_the_organisation_above() -> None:
    tables = parse_budget(PROJECT_6)
    assert tables.scopes == (Scope("project", "6", "Aanpak discriminatie"),)
    medior = tables.rows[1]
    assert (medior.organisation, medior.role, medior.rate, medior.hours, medior.amount) == (
        VJI,
        "Medior onderzoeker",
        94,
        78,
        7332,
    )
    assert medior.source == "Medior onderzoeker 94 78 7.332"
    assert tables.rows[-1].amount == 84627


def test_text_without_budget_tables_is_refused() -> None:
    with pytest.raises(SourceError, match="Geen begrotingstabel"):
        parse_budget("Werkplan 2026\n\nDit document heeft geen begroting.\n")


def test_a_table_without_total_is_refused() -> None:
    with pytest.raises(SourceError, match="geen totaalregel"):
        parse_budget(ONDERDEEL_A.replace("Totaal Project    1.326.564", ""))


def test_projects_and_tables_that_do_not_pair_are_refused() -> None:
    extra_heading = PROJECT_6.replace("Project 6.", "Project 5. Verlies\n\nProject 6.")
    with pytest.raises(SourceError, match="2 projecten maar 1 projectbegrotingen"):
        parse_budget(extra_heading)


# --- the whole work plan --------------------------------------------------------------------

# Hand-checked against corpus/werkplan-2026.txt: (scope_kind, scope, line, row_kind) →
# (organisation, role, rate, hours, amount).
SAMPLE = {
    ("onderdeel", "A", 752, "line"): (VJI, "Senior onderzoeker", 132, 1727, 227964),
    ("onderdeel", "A", 789, "line"): ("Movisie", "Project-Assistent", 65, 307, 19995),
    ("onderdeel", "A", 801, "total"): (None, None, None, None, 1326564),
    ("onderdeel", "B", 852, "external"): (None, None, None, None, 19270),
    ("onderdeel", "B", 855, "total"): (None, None, None, None, 413119),
    ("onderdeel", "C", 859, "line"): (VJI, "Senior onderzoeker", 132, 1255, 165660),
    ("onderdeel", "D", 945, "line"): ("Movisie", "Communicatieadviseur", 68, 1040, 70720),
    ("onderdeel", "E", 979, "stafkosten"): (VJI, "Stafkosten", 14, 1822, 20258),
    ("onderdeel", "E", 1002, "subtotal"): ("Movisie", None, None, None, 139760),
    ("overzicht", "B", 1026, "external"): (None, None, None, None, 19275),
    ("overzicht", "totaal", 1038, "total"): (None, None, None, None, 2927296),
    ("basis", "2026", 1040, "total"): (None, None, None, None, 2563000),
    ("programma", "totaal", 1081, "subtotal"): (VJI, None, None, None, 1459658),
    ("programma", "totaal", 1100, "subtotal"): ("Movisie", None, None, None, 1218197),
    ("programma", "totaal", 1101, "external"): (None, None, None, None, 249441),
    ("programma", "totaal", 1104, "total"): (None, None, None, None, 2927296),
    ("project", "1", 1295, "line"): (VJI, "Medior onderzoeker", 94, 89, 8399),
    ("project", "1", 1336, "total"): (None, None, None, None, 169839),
    ("project", "2", 1494, "line"): ("Movisie", "Junior/medior", 68, 135, 9180),
    ("project", "2", 1504, "total"): (None, None, None, None, 88146),
    ("project", "3", 1817, "total"): (None, None, None, None, 121461),
    ("project", "5", 2174, "stafkosten"): ("Movisie", "Stafkosten", 16, 542, 3664),
    ("project", "5", 2182, "total"): (None, None, None, None, 87325),
    ("project", "6", 2269, "line"): (VJI, "Medior onderzoeker", 94, 78, 7332),
    ("project", "8", 2745, "total"): (None, None, None, None, 84475),
    ("project", "9", 2879, "line"): (VJI, "Senior onderzoeker", 132, 159, 16368),
    ("project", "10", 3077, "total"): (None, None, None, None, 84331),
    ("project", "11", 3357, "stafkosten"): (VJI, "Stafkosten", 14, 578, 8092),
    ("project", "11", 3386, "total"): (None, None, None, None, 159965),
    ("project", "13", 3753, "total"): (None, None, None, None, 49182),
    ("project", "14", 4094, "total"): (None, None, None, None, 99970),
}


def test_a_sample_of_records_matches_the_document(tables: BudgetTables) -> None:
    for (scope_kind, scope, line, row_kind), expected in SAMPLE.items():
        row = _one(tables, scope_kind, scope, line, row_kind)
        assert (row.organisation, row.role, row.rate, row.hours, row.amount) == expected, row


def test_every_row_is_found_where_it_says(tables: BudgetTables, raw: str) -> None:
    lines = raw.split("\n")
    for row in tables.rows:
        printed = row.source.split()[-1]
        window = " ".join(lines[row.line - 1 : row.line + 8])
        assert lines[row.line - 1].strip(), row
        assert printed in window, row


def test_rows_per_scope(tables: BudgetTables) -> None:
    counts: dict[tuple[str, str], int] = {}
    for row in tables.rows:
        counts[(row.scope_kind, row.scope)] = counts.get((row.scope_kind, row.scope), 0) + 1
    assert {k: v for k, v in counts.items() if k[0] in ("onderdeel", "programma")} == {
        ("onderdeel", "A"): 16,
        ("onderdeel", "B"): 16,
        ("onderdeel", "C"): 16,
        ("onderdeel", "D"): 13,
        ("onderdeel", "E"): 14,
        ("programma", "totaal"): 16,
    }
    projects = [counts[("project", str(n))] for n in range(1, 15)]
    assert projects == [15, 14, 15, 15, 14, 16, 16, 14, 14, 15, 16, 14, 13, 15]
    assert all(counts[("overzicht", s)] == 4 for s in "ABCDE")
    assert counts[("overzicht", "totaal")] == 4
    assert sum(1 for r in tables.rows if r.scope_kind == "aanvulling") == 7
    assert len(tables.rows) == 329


def test_scopes_are_titled_from_the_document(tables: BudgetTables) -> None:
    titles = {(s.scope_kind, s.scope): s.title for s in tables.scopes}
    assert titles[("programma", "totaal")] == "Totaal KIS 2026"
    assert titles[("onderdeel", "A")] == "Ontwikkeling en benutting kennis (projecten)"
    assert titles[("overzicht", "A")] == "Ontwikkeling en benutting van kennis"
    assert (
        titles[("project", "3")] == "Polarisatie begrijpen, voorkomen en aanpakken: Van theorie naar praktijk"
    )
    assert titles[("project", "11")] == (
        "Op weg naar effectieve interventies: Databases preventie en aanpak discriminatie, "
        "polarisatie en radicalisering"
    )
    assert titles[("project", "13")] == (
        "Actieonderzoek pabo’s in de inclusieve samenleving (financiering via SZW vanuit OCW)"
    )
    assert [s.scope for s in tables.scopes if s.scope_kind == "project"] == [str(n) for n in range(1, 15)]


def test_the_tables_near_project_10_belong_to_projects_8_9_and_10(tables: BudgetTables) -> None:
    """Project 8 has no "7. Begroting" in its own text and project 10 has two: they are taken in
    order, and the one at line 2877 (project 9) is a copy of project 8's with new hours."""
    first_lines = {r.scope: r.line for r in reversed(tables.rows) if r.scope_kind == "project"}
    assert (first_lines["8"], first_lines["9"], first_lines["10"]) == (2703, 2879, 3033)


def test_irregular_figures_are_recorded(tables: BudgetTables) -> None:
    assert tables.typos == (
        NumberTypo(791, "19..995", 19995),
        NumberTypo(863, "1255", 1255),
        NumberTypo(3358, "8..092", 8092),
    )


def test_the_programme_totals(tables: BudgetTables) -> None:
    programme = {
        r.row_kind + (r.organisation or ""): r.amount for r in tables.rows if r.scope_kind == "programma"
    }
    assert programme["total"] == 2927296
    assert programme["subtotalMovisie"] == 1218197
    assert programme[f"subtotal{VJI}"] == 1459658


# --- the audit ------------------------------------------------------------------------------

# Verified by hand: (scope_kind, scope, line, expected, found) of every inconsistency.
FINDINGS = [
    ("onderdeel", "A", 783, 844, 847),  # Movisie expert hours vs the project plans
    ("onderdeel", "A", 787, 2189, 2165),  # Movisie junior hours vs the project plans
    ("onderdeel", "A", 789, 19955, 19995),  # 65 × 307 printed 19..995
    ("onderdeel", "A", 789, 337, 307),  # Movisie project-assistent hours vs the project plans
    ("onderdeel", "A", 798, 111717, 115633),  # external costs vs the project plans
    ("onderdeel", "B", 852, 19275, 19270),  # external 19.270, overview and total use 19.275
    ("onderdeel", "E", 979, 1447, 1822),  # stafkosten hours copied from onderdeel C
    ("onderdeel", "E", 981, 1447, 1822),
    ("onderdeel", "E", 998, 1105, 1253),
    ("onderdeel", "E", 1000, 1105, 1253),
    ("project", "1", 1295, 8366, 8399),  # 94 × 89; the subtotal uses 8.366
    ("project", "5", 2155, 404, 406),
    ("project", "5", 2158, 404, 406),
    ("project", "5", 2174, 229, 542),
    ("project", "5", 2176, 229, 542),
    ("project", "7", 2449, 12408, 12048),  # 132 × 94, digits swapped
    ("project", "7", 2488, 356, 365),
    ("project", "7", 2490, 356, 365),
    ("project", "9", 2879, 20988, 16368),  # amounts of project 8, hours of project 9
    ("project", "9", 2885, 8280, 11592),
    ("project", "9", 2887, 2016, 1953),
    ("project", "9", 2893, 4354, 4522),
    ("project", "9", 2896, 6220, 6460),
    ("project", "9", 2899, 41858, 40895),
    ("project", "9", 2921, 85438, 84475),
    ("project", "12", 3542, 40049, 40390),  # vs "Kennisdossier Roma en Sinti € 40.049"
    ("project", "13", 3753, 48758, 49182),  # vs "Actieonderzoek Pabo’s € 48.758"
    ("project", "14", 4047, 10560, 10566),
    ("project", "14", 4086, 472, 194),
    ("project", "14", 4088, 472, 194),
]


def test_the_audit_finds_every_inconsistency_and_nothing_else(tables: BudgetTables) -> None:
    findings = audit_budget(tables)
    assert [(f.scope_kind, f.scope, f.line, f.expected, f.found) for f in findings] == FINDINGS


def test_findings_name_the_figures(tables: BudgetTables) -> None:
    messages = {(f.scope, f.line, f.expected): f.message for f in audit_budget(tables)}
    assert messages[("A", 789, 19955)].startswith(
        "Onderdeel A, Movisie Project-Assistent: 65 × 307 = 19.955, in de tabel staat 19..995"
    )
    assert messages[("1", 1295, 8366)] == (
        "Project 1, Verwey-Jonker Instituut Medior onderzoeker: 94 × 89 = 8.366, in de tabel staat 8.399; "
        "het totaal Verwey-Jonker Instituut (65.648) rekent met 8.366"
    )
    assert "19.270" in messages[("B", 852, 19275)] and "19.275" in messages[("B", 852, 19275)]
    assert "de uren tellen op tot 1.447, niet 1.822" in messages[("E", 979, 1447)]
    assert "€ 40.049" in messages[("12", 3542, 40049)]


@pytest.mark.parametrize(
    ("printed", "misprint", "where"),
    [
        ("portaalfunctie € 30.000", "portaalfunctie € 31.000", ("basis", "2026", 1040)),
        ("D Communicatie 160.680", "D Communicatie 160.690", ("overzicht", "D", 1032)),
        (
            "Aanpak moslimdiscriminatie € 99.970",
            "Aanpak moslimdiscriminatie € 99.971",
            ("project", "14", 4094),
        ),
        ("Totaal Movisie    1.218.197", "Totaal Movisie    1.218.198", ("programma", "totaal", 1100)),
    ],
)
def test_each_cross_check_catches_a_misprint(
    raw: str, printed: str, misprint: str, where: tuple[str, str, int]
) -> None:
    assert raw.count(printed) == 1
    findings = audit_budget(parse_budget(raw.replace(printed, misprint)))
    assert where in {(f.scope_kind, f.scope, f.line) for f in findings}
    assert len(findings) > len(FINDINGS)


def _row(
    scope: tuple[str, str], org: str | None, figures: tuple[int | None, int | None, int], kind: str, line: int
) -> BudgetRow:
    rate, hours, amount = figures
    role = "Senior" if kind == "line" else None
    return BudgetRow(scope[0], scope[1], org, role, rate, hours, amount, kind, line, "")


def test_rows_only_the_parts_have_are_reported_on_the_total() -> None:
    """Onderdeel A with a Movisie rate no project has, a project with one A lacks, and a programme
    breakdown without Movisie."""
    a, project, programme = ("onderdeel", "A"), ("project", "1"), ("programma", "totaal")
    rows = (
        _row(a, VJI, (132, 10, 1320), "line", 1),
        _row(a, VJI, (None, None, 1320), "subtotal", 2),
        _row(a, "Movisie", (95, 2, 190), "line", 3),
        _row(a, "Movisie", (None, None, 190), "subtotal", 4),
        _row(a, None, (None, None, 1510), "total", 5),
        _row(project, VJI, (132, 10, 1320), "line", 10),
        _row(project, VJI, (None, None, 1320), "subtotal", 11),
        _row(project, "Movisie", (123, 1, 123), "line", 12),
        _row(project, "Movisie", (None, None, 123), "subtotal", 13),
        _row(project, None, (None, None, 1443), "total", 14),
        _row(programme, VJI, (132, 10, 1320), "line", 20),
        _row(programme, VJI, (None, None, 1320), "subtotal", 21),
        _row(programme, None, (None, None, 1320), "total", 22),
    )
    scopes = (
        Scope(*a, "Ontwikkeling (projecten)"),
        Scope(*project, "P"),
        Scope(*programme, "Totaal KIS 2026"),
    )
    found = [(f.line, f.message) for f in audit_budget(BudgetTables(rows, scopes))]
    breakdown = "Begroting KIS 2026, uitsplitsing naar functieniveau, totaal: "
    assert found == [
        (3, "Onderdeel A, Movisie Senior: 2 uur in de tabel, de projectbegrotingen samen 0 uur"),
        (5, "Onderdeel A, totaal: de projectbegrotingen hebben Movisie à 123 per uur: 1 uur, de tabel niet"),
        (22, breakdown + "1.320 in de tabel, de vijf onderdelen samen 1.510"),
        (22, breakdown + "de vijf onderdelen hebben Movisie à 95 per uur: 2 uur, de tabel niet"),
        (22, breakdown + "de vijf onderdelen hebben totaal Movisie: 190, de tabel niet"),
    ]
